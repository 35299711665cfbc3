--- kconfig-ls for Neovim: setup() for plugin managers, and the start logic of
--- plugin/kconfig_ls.lua.
---
--- Options (all optional), given to setup() or set as `vim.g.kconfig_ls`:
---   cmd            list: the server command (default { 'kconfig-ls', 'serve' })
---   settings       table: the server's settings (rootKconfig, arch, environment,
---                  configFile, rules, trustWorkspace, extraIncludePaths)
---   autostart      boolean: start the server for matching buffers (default true)
---   use_lsp_start  boolean: use vim.lsp.start even on Neovim 0.11+ (default false)
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
