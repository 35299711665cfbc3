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
--- is read) and `:LspKconfigSetConfigFile [file]` (the `.config` whose values hovers show; default: the
--- current file).

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
  before_init = function(params, config)
    -- The same settings go in the initialization options, so that the first index of the tree
    -- already uses them.
    local settings = config.settings and config.settings['kconfig-ls']
    params.initializationOptions = vim.tbl_deep_extend('force', default_settings, settings or {})
  end,
  on_attach = function(client, bufnr)
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
  end,
}
