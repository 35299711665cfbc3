--- Configuration of the Kconfig language server (kconfig-ls) for Neovim's LSP client.
---
--- Neovim 0.11+ reads this file for `vim.lsp.config('kconfig_ls')` and
--- `vim.lsp.enable('kconfig_ls')`; this plugin's plugin/kconfig_ls.lua also uses
--- it with `vim.lsp.start` on Neovim 0.9 and 0.10.  It is self-contained, in the
--- shape nvim-lspconfig keeps in its own lsp/ folder.
---
--- The server serves Kconfig files, configuration files (.config, defconfig,
--- prj.conf) and the C files and Makefiles that use CONFIG_ symbols.  Its root
--- is the outermost folder holding a Kconfig (or Config.in) file below the
--- nearest .git or west.yml; C files and Makefiles outside such a tree do not
--- start it.
---
--- Settings (also sent as initialization options), under "kconfig-ls":
---   rootKconfig, arch, environment, configFile, rules, trustWorkspace,
---   extraIncludePaths.  See the README of editors/nvim.

local uv = vim.uv or vim.loop

--- Filetypes of buffers whose language is Kconfig's own.
local kconfig_filetypes = { kconfig = true, ['kconfig-config'] = true }

--- Files that mark the top of a Kconfig tree, and folders that end the search upward.
local tree_markers = { 'Kconfig', 'Config.in' }
local boundary_markers = { '.git', 'west.yml', '.west' }

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

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
      if exists(folder .. '/' .. marker) then
        outermost_tree = folder
      end
    end
    for _, marker in ipairs(boundary_markers) do
      if exists(folder .. '/' .. marker) then
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

--- The language ids the server knows, by Neovim filetype.
local language_ids = { make = 'makefile' }

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

---@type vim.lsp.Config
return {
  cmd = { 'kconfig-ls', 'serve' },
  filetypes = { 'kconfig', 'kconfig-config', 'c', 'cpp', 'make' },
  root_dir = function(bufnr, on_dir)
    local root = find_root(vim.api.nvim_buf_get_name(bufnr), vim.bo[bufnr].filetype)
    if root then
      on_dir(root)
    end
  end,
  get_language_id = function(_, filetype)
    return language_ids[filetype] or filetype
  end,
  settings = { ['kconfig-ls'] = default_settings },
  before_init = function(params, config)
    -- The same settings go in the initialization options, so that the first
    -- index of the tree already uses them.
    local settings = config.settings and config.settings['kconfig-ls']
    params.initializationOptions = vim.tbl_deep_extend('force', default_settings, settings or {})
  end,
}
