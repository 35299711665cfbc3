---@brief
---
--- https://github.com/kconfig-ls/kconfig-ls
---
--- Language server and linter for Kconfig (Linux, Zephyr, U-Boot, ESP-IDF, Buildroot, coreboot) and for
--- the C files, Makefiles and configuration files whose code Kconfig symbols switch: diagnostics such as
--- `select` of a symbol with a prompt, hover with the dependency chain, go to definition and references
--- from `CONFIG_X` in C and Makefiles, completion. It can be installed via `pip`:
---
--- ```sh
--- pip install kconfig-ls
--- ```
---
--- The root is the outermost folder holding a `Kconfig` (or Buildroot's `Config.in`) below the nearest
--- `west.yml`, `.west` or `.git`: the top of the Linux tree, not `mm/`. C files and Makefiles outside a
--- Kconfig tree get no server. Configuration files (`.config`, `defconfig`, `prj.conf`, `sdkconfig`) are
--- served as the `kconfig-config` filetype when a filetype rule gives it to them, for example:
---
--- ```lua
--- vim.filetype.add({ filename = { ['.config'] = 'kconfig-config' }, pattern = { ['.*_defconfig'] = 'kconfig-config' } })
--- ```
---
--- Settings (`rootKconfig`, `arch`, `environment`, `configFile`, `rules`, `trustWorkspace`,
--- `extraIncludePaths`) go under `kconfig-ls`; `$(shell,...)` macros never run unless `trustWorkspace`:
---
--- ```lua
--- vim.lsp.config('kconfig_ls', { settings = { ['kconfig-ls'] = { arch = 'arm64' } } })
--- ```
---
--- Buffer-local commands: `:LspKconfigSetArch {arch}` (the architecture whose `arch/$(SRCARCH)/Kconfig`
--- is read), `:LspKconfigSetConfigFile [file]` (the `configFile` setting: the `.config` whose values
--- hovers show; default: the current file) and `:LspKconfigSelectConfiguration[!] [file]` (the
--- server's `kconfig-ls.selectConfiguration` command: switches the active configuration without
--- changing the setting, and wins over it until the next choice or a new setting; default: the
--- current file; with `!`, no configuration).
---
--- With a configuration, the code it leaves out (`#ifdef` blocks, `IS_ENABLED()` branches, Makefile
--- lines) is greyed with the highlight group `KconfigInactive` (linked to `Comment`), from the
--- server's `textDocument/inactiveRegions` notification (clangd's). The server's
--- `kconfig-ls/configurationStatus` notification is kept in `b:kconfig_ls_configuration` (`label`,
--- `path`, `unknownValues`, `problems`) of each attached buffer, and fires the `User` event
--- `KconfigConfigurationStatus`. Code lenses ("selected by 3 · 41 uses in code") open their locations
--- in the location list. Inlay hints (the value of each dependency) show with
--- `vim.lsp.inlay_hint.enable()`.

local uv = vim.uv or vim.loop

--- Filetypes of buffers whose language is Kconfig's own.
local kconfig_filetypes = { kconfig = true, ['kconfig-config'] = true }

--- Files that mark a Kconfig tree, and folders that end the search upward (see root_dir).
local tree_markers = { 'Kconfig', 'Config.in' }
local boundary_markers = { 'west.yml', '.west', '.git' }

--- The root folder of the Kconfig tree that holds `path`, or nil.
--- @param path string absolute path of a file
--- @param filetype string
--- @return string?
local function find_root(path, filetype)
  if path == '' then
    return nil
  end
  local folder = vim.fs.dirname(path)
  local outermost_tree
  while folder do
    for _, marker in ipairs(tree_markers) do
      if uv.fs_stat(folder .. '/' .. marker) then
        outermost_tree = folder
      end
    end
    for _, marker in ipairs(boundary_markers) do
      if uv.fs_stat(folder .. '/' .. marker) then
        if outermost_tree == nil and kconfig_filetypes[filetype] then
          return folder
        end
        return outermost_tree
      end
    end
    local parent = vim.fs.dirname(folder)
    if parent == nil or parent == folder then
      break
    end
    folder = parent
  end
  if outermost_tree == nil and kconfig_filetypes[filetype] then
    return vim.fs.dirname(path)
  end
  return outermost_tree
end

--- The extmark namespace and highlight group of the inactive regions.
local inactive_namespace = vim.api.nvim_create_namespace('kconfig_ls_inactive')
local function define_highlight()
  vim.api.nvim_set_hl(0, 'KconfigInactive', { link = 'Comment', default = true })
end
define_highlight()
-- A colour scheme clears the highlight groups; a default link has to be made again.
vim.api.nvim_create_autocmd('ColorScheme', {
  group = vim.api.nvim_create_augroup('kconfig_ls_highlight', { clear = true }),
  callback = define_highlight,
})
--- Above syntax, tree-sitter and semantic tokens, below diagnostics.
local inactive_priority = 126

--- The document version of the inactive regions drawn in each buffer.
local inactive_versions = {}

--- Draws the regions of `textDocument/inactiveRegions` ({ textDocument = { uri, version }, regions }) as
--- whole-line extmarks; a notification older than the one drawn is dropped.
local function on_inactive_regions(_, params, _)
  local bufnr = vim.uri_to_bufnr(params.textDocument.uri)
  if not vim.api.nvim_buf_is_loaded(bufnr) then
    return
  end
  local version = params.textDocument.version
  version = version ~= vim.NIL and version or nil
  local drawn = inactive_versions[bufnr]
  if version and drawn and version < drawn then
    return
  end
  inactive_versions[bufnr] = version
  vim.api.nvim_buf_clear_namespace(bufnr, inactive_namespace, 0, -1)
  for _, region in ipairs(params.regions or {}) do
    local first, last = region.start.line, region['end'].line
    if region['end'].character == 0 and last > first then
      last = last - 1
    end
    vim.api.nvim_buf_set_extmark(bufnr, inactive_namespace, first, 0, {
      end_row = last + 1,
      end_col = 0,
      hl_group = 'KconfigInactive',
      hl_eol = true,
      priority = inactive_priority,
      strict = false,
    })
  end
end

--- The last `kconfig-ls/configurationStatus` of each client.
local configuration_statuses = {}

--- Keeps the server's configuration status in `b:kconfig_ls_configuration` of the client's buffers.
local function on_configuration_status(_, params, context)
  configuration_statuses[context.client_id] = params
  local client = vim.lsp.get_client_by_id(context.client_id)
  for bufnr in pairs(client and client.attached_buffers or {}) do
    vim.b[bufnr].kconfig_ls_configuration = params
    -- Without a configuration nothing is greyed; the server sends no regions then, so the ones of
    -- the configuration before would stay.
    if params.path == vim.NIL or params.path == nil then
      inactive_versions[bufnr] = nil
      vim.api.nvim_buf_clear_namespace(bufnr, inactive_namespace, 0, -1)
    end
  end
  vim.api.nvim_exec_autocmds('User', {
    pattern = 'KconfigConfigurationStatus',
    modeline = false,
    data = { client_id = context.client_id, status = params },
  })
  vim.cmd.redrawstatus({ bang = true })
end

--- The client side of `kconfig-ls.showLocations` (the code lenses' command): its arguments are
--- `{ uri, position, locations }`; the locations go to the location list of the current window.
local function show_locations(command, context)
  local client = vim.lsp.get_client_by_id(context.client_id)
  local locations = (command.arguments or {})[3] or {}
  local items = vim.lsp.util.locations_to_items(locations, client and client.offset_encoding or 'utf-16')
  vim.fn.setloclist(0, {}, ' ', { title = command.title or 'kconfig-ls', items = items })
  if #items > 0 then
    vim.cmd.lopen()
  else
    vim.notify('kconfig-ls: no locations', vim.log.levels.INFO)
  end
end

--- Sends a request (the call changed to a method call in Neovim 0.11).
local function request(client, method, params, handler, bufnr)
  if vim.fn.has('nvim-0.11') == 1 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

--- Runs the server's `kconfig-ls.selectConfiguration` with a file, or nil for no configuration.
--- @param client vim.lsp.Client
--- @param file string?
--- @param bufnr integer
local function select_configuration(client, file, bufnr)
  local argument = file and vim.fn.fnamemodify(file, ':p') or vim.NIL
  local params = { command = 'kconfig-ls.selectConfiguration', arguments = { argument } }
  request(client, 'workspace/executeCommand', params, function(err)
    if err then
      vim.notify('kconfig-ls: cannot select the configuration: ' .. err.message, vim.log.levels.ERROR)
    else
      vim.notify('kconfig-ls: configuration ' .. (file and vim.fn.fnamemodify(file, ':~:.') or 'none'))
    end
  end, bufnr)
end

--- Defaults of the server's settings.
local default_settings = {
  rootKconfig = 'Kconfig',
  arch = '',
  environment = vim.empty_dict(),
  configFile = '',
  rules = vim.empty_dict(),
  trustWorkspace = false,
  extraIncludePaths = {},
}

--- Changes one server setting of a client and sends the new settings to the server.
--- @param client vim.lsp.Client
--- @param key string
--- @param value any
local function set_setting(client, key, value)
  -- client.settings on Neovim 0.10+, client.config.settings before.
  local all = client.settings or client.config.settings or {}
  local settings = vim.tbl_deep_extend('force', default_settings, all['kconfig-ls'] or {})
  settings[key] = value
  all['kconfig-ls'] = settings
  client.settings = all
  client.config.settings = all
  if vim.fn.has('nvim-0.11') == 1 then
    client:notify('workspace/didChangeConfiguration', { settings = all })
  else
    client.notify('workspace/didChangeConfiguration', { settings = all })
  end
  vim.notify(('kconfig-ls: %s = %s'):format(key, vim.inspect(value)))
end

--- The architectures of a Linux-style tree: the folders of arch/ that hold a Kconfig file.
--- @param root string?
--- @return string[]
local function architectures(root)
  local found = {}
  if root then
    for name, kind in vim.fs.dir(root .. '/arch') do
      if kind == 'directory' and uv.fs_stat(root .. '/arch/' .. name .. '/Kconfig') then
        found[#found + 1] = name
      end
    end
  end
  table.sort(found)
  return found
end

---@type vim.lsp.Config
return {
  cmd = { 'kconfig-ls', 'serve' },
  filetypes = { 'kconfig', 'kconfig-config', 'c', 'cpp', 'make' },
  -- root_dir below refines these: the outermost tree marker below the nearest boundary marker.
  root_markers = { 'west.yml', '.west', '.git', 'Kconfig', 'Config.in' },
  root_dir = function(bufnr, on_dir)
    local root = find_root(vim.api.nvim_buf_get_name(bufnr), vim.bo[bufnr].filetype)
    if root then
      on_dir(root)
    end
  end,
  get_language_id = function(_, filetype)
    return filetype == 'make' and 'makefile' or filetype
  end,
  settings = { ['kconfig-ls'] = default_settings },
  -- The server sends textDocument/inactiveRegions to clients that announce it, and greys the
  -- regions with diagnostics for the others.
  capabilities = vim.tbl_deep_extend('force', vim.lsp.protocol.make_client_capabilities(), {
    textDocument = { inactiveRegionsCapabilities = { inactiveRegions = true } },
  }),
  handlers = {
    ['textDocument/inactiveRegions'] = on_inactive_regions,
    ['kconfig-ls/configurationStatus'] = on_configuration_status,
  },
  commands = {
    ['kconfig-ls.showLocations'] = show_locations,
  },
  before_init = function(params, config)
    -- The same settings go in the initialization options, so that the first index of the tree
    -- already uses them.
    local settings = config.settings and config.settings['kconfig-ls']
    params.initializationOptions = vim.tbl_deep_extend('force', default_settings, settings or {})
  end,
  on_attach = function(client, bufnr)
    vim.b[bufnr].kconfig_ls_configuration = configuration_statuses[client.id]
    -- The regions go with the client: cleared when it detaches, forgotten when the buffer unloads.
    vim.api.nvim_create_autocmd({ 'LspDetach', 'BufUnload' }, {
      buffer = bufnr,
      callback = function(event)
        if event.event == 'BufUnload' or (event.data and event.data.client_id == client.id) then
          inactive_versions[bufnr] = nil
          vim.api.nvim_buf_clear_namespace(bufnr, inactive_namespace, 0, -1)
          return true
        end
      end,
    })
    vim.api.nvim_buf_create_user_command(bufnr, 'LspKconfigSetArch', function(command)
      set_setting(client, 'arch', command.args)
    end, {
      nargs = 1,
      complete = function()
        return architectures(client.root_dir)
      end,
      desc = 'kconfig-ls: set the architecture (arch/$(SRCARCH)/Kconfig)',
    })
    vim.api.nvim_buf_create_user_command(bufnr, 'LspKconfigSetConfigFile', function(command)
      local file = command.args ~= '' and command.args or vim.api.nvim_buf_get_name(bufnr)
      set_setting(client, 'configFile', vim.fn.fnamemodify(file, ':p'))
    end, {
      nargs = '?',
      complete = 'file',
      desc = 'kconfig-ls: set the configuration file whose values hovers show',
    })
    vim.api.nvim_buf_create_user_command(bufnr, 'LspKconfigSelectConfiguration', function(command)
      local file = command.args ~= '' and command.args or vim.api.nvim_buf_get_name(bufnr)
      select_configuration(client, not command.bang and file or nil, bufnr)
    end, {
      nargs = '?',
      bang = true,
      complete = 'file',
      desc = 'kconfig-ls: select the active configuration (with !: no configuration)',
    })
  end,
}
