--- kconfig-ls for Neovim: setup() for plugin managers, and the start logic of
--- plugin/kconfig_ls.lua.
---
--- Options (all optional), given to setup() or set as `vim.g.kconfig_ls`:
---   cmd            list: the server command (default { 'kconfig-ls', 'serve' })
---   settings       table: the server's settings (rootKconfig, arch, environment,
---                  configFile, rules, trustWorkspace, extraIncludePaths)
---   autostart      boolean: start the server for matching buffers (default true)
---   use_lsp_start  boolean: use vim.lsp.start even on Neovim 0.11+ (default false)
---   inlay_hints    boolean: show inlay hints (the values of dependencies) in the buffers the
---                  server attaches to (default false; Neovim's own: vim.lsp.inlay_hint.enable())
---   codelens       boolean: show code lenses ("selected by 3 · 41 uses in code"): enabled where
---                  Neovim has vim.lsp.codelens.enable(), else refreshed on BufEnter, InsertLeave
---                  and BufWritePost (default false)
---
--- Also status() and statusline() for statuslines, select_configuration() behind
--- :KconfigSelectConfiguration, and on_attach(), which the plugin runs on LspAttach.
local M = {}

local name = 'kconfig_ls'

--- The options: vim.g.kconfig_ls, or empty.
--- @return table
function M.options()
  local options = vim.g.kconfig_ls
  if type(options) ~= 'table' then
    return {}
  end
  return options
end

--- Sets the options and applies them to a server started later.
--- @param options table?
function M.setup(options)
  vim.g.kconfig_ls = vim.tbl_deep_extend('force', M.options(), options or {})
  if vim.g.loaded_kconfig_ls then
    M.apply()
  end
end

--- True when this Neovim has vim.lsp.config and vim.lsp.enable (0.11+) and the user did not opt out.
function M.uses_lsp_enable()
  return vim.lsp.config ~= nil and vim.lsp.enable ~= nil and not M.options().use_lsp_start
end

--- The options as a partial LSP configuration.
--- @return table
function M.overrides()
  local options = M.options()
  local overrides = {}
  if options.cmd then
    overrides.cmd = options.cmd
  end
  if options.settings then
    overrides.settings = { ['kconfig-ls'] = options.settings }
  end
  return overrides
end

--- The base configuration: lsp/kconfig_ls.lua from the runtimepath.
--- @return table
function M.base_config()
  local file = vim.api.nvim_get_runtime_file('lsp/' .. name .. '.lua', false)[1]
  assert(file, 'kconfig-ls: lsp/kconfig_ls.lua is not on the runtimepath')
  return dofile(file)
end

--- Starts or enables the server as the options say; called by plugin/kconfig_ls.lua and setup().
function M.apply()
  if M.options().autostart == false then
    return
  end
  if M.uses_lsp_enable() then
    vim.lsp.config(name, M.overrides())
    vim.lsp.enable(name)
  elseif not M._autocmd then
    M._autocmd = vim.api.nvim_create_autocmd('FileType', {
      group = vim.api.nvim_create_augroup('kconfig_ls', { clear = true }),
      pattern = M.base_config().filetypes,
      callback = function(event)
        M.start(event.buf)
      end,
    })
    -- Buffers opened before the plugin was loaded.
    for _, buffer in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(buffer) and vim.bo[buffer].filetype ~= '' then
        M.start(buffer)
      end
    end
  end
end

--- The active configuration of a buffer's server, as its `kconfig-ls/configurationStatus`
--- notification said: `{ label, path, unknownValues, problems }` (`path` nil without a configuration
--- file), or nil before it said anything (or when no kconfig-ls server is attached).
--- @param bufnr integer? default: the current buffer
--- @return table?
function M.status(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local status = vim.b[bufnr].kconfig_ls_configuration
  if type(status) ~= 'table' then
    return nil
  end
  -- JSON null (no configuration file) arrives as vim.NIL.
  if status.path == vim.NIL then
    status.path = nil
  end
  return status
end

--- The status as statusline text: `Kconfig: .config (x86)`; '' when there is no status.  For example
--- `vim.o.statusline = '%f %{%v:lua.require("kconfig_ls").statusline()%}'`.
--- @param bufnr integer?
--- @return string
function M.statusline(bufnr)
  local status = M.status(bufnr)
  if status == nil then
    return ''
  end
  return (('Kconfig: ' .. status.label):gsub('%%', '%%%%'))
end

--- The kconfig-ls client of a buffer, or nil.
--- @param bufnr integer
--- @return vim.lsp.Client?
local function client_of(bufnr)
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  return get({ bufnr = bufnr, name = name })[1]
end

--- Selects the active configuration with the server's `kconfig-ls.selectConfiguration` command: a
--- file (relative to the current folder), or nil for no configuration.  The server answers with a
--- new status (M.status()).
--- @param file string?
--- @param bufnr integer? default: the current buffer
function M.select_configuration(file, bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = client_of(bufnr)
  if client == nil then
    vim.notify('kconfig-ls: no kconfig-ls server is attached to this buffer', vim.log.levels.WARN)
    return
  end
  local params = {
    command = 'kconfig-ls.selectConfiguration',
    arguments = { file and vim.fn.fnamemodify(file, ':p') or vim.NIL },
  }
  local function done(err)
    if err then
      vim.notify('kconfig-ls: cannot select the configuration: ' .. tostring(err.message), vim.log.levels.ERROR)
    end
  end
  if vim.fn.has('nvim-0.11') == 1 then
    client:request('workspace/executeCommand', params, done, bufnr)
  else
    client.request('workspace/executeCommand', params, done, bufnr)
  end
end

--- What the plugin does in a buffer a kconfig-ls client attaches to: `:KconfigSelectConfiguration`,
--- and inlay hints and code lenses as the options say.
--- @param client vim.lsp.Client
--- @param bufnr integer
function M.on_attach(client, bufnr)
  vim.api.nvim_buf_create_user_command(bufnr, 'KconfigSelectConfiguration', function(command)
    if command.bang then
      M.select_configuration(nil, bufnr)
    else
      M.select_configuration(command.args ~= '' and command.args or vim.api.nvim_buf_get_name(bufnr), bufnr)
    end
  end, {
    nargs = '?',
    bang = true,
    complete = 'file',
    desc = 'kconfig-ls: select the active configuration (default: this file; with !: no configuration)',
  })
  local options = M.options()
  -- vim.lsp.inlay_hint is Neovim 0.10+.
  if options.inlay_hints and vim.lsp.inlay_hint and client.server_capabilities.inlayHintProvider then
    vim.lsp.inlay_hint.enable(true, { bufnr = bufnr })
  end
  if options.codelens and client.server_capabilities.codeLensProvider then
    -- Newer Neovim refreshes code lenses itself once they are enabled.
    if vim.lsp.codelens.enable then
      vim.lsp.codelens.enable(true, { bufnr = bufnr })
      return
    end
    vim.lsp.codelens.refresh({ bufnr = bufnr })
    vim.api.nvim_create_autocmd({ 'BufEnter', 'InsertLeave', 'BufWritePost' }, {
      group = vim.api.nvim_create_augroup('kconfig_ls_codelens_' .. bufnr, { clear = true }),
      buffer = bufnr,
      callback = function()
        vim.lsp.codelens.refresh({ bufnr = bufnr })
      end,
    })
  end
end

--- Starts the server for one buffer with vim.lsp.start (Neovim 0.9 and 0.10), if it belongs to a Kconfig tree.
--- @param buffer integer
--- @return integer? client id
function M.start(buffer)
  local config = vim.tbl_deep_extend('force', M.base_config(), M.overrides())
  if not vim.tbl_contains(config.filetypes, vim.bo[buffer].filetype) then
    return nil
  end
  local root
  config.root_dir(buffer, function(folder)
    root = folder
  end)
  if root == nil then
    return nil
  end
  config.name = name
  config.root_dir = root
  config.filetypes = nil
  return vim.lsp.start(config, { bufnr = buffer })
end

return M
