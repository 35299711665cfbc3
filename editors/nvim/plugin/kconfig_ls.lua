--- kconfig-ls for Neovim: filetypes for Kconfig configuration files, and the
--- language server for Kconfig, configuration, C and Makefile buffers of a
--- Kconfig tree.  On Neovim 0.11+ it uses vim.lsp.enable('kconfig_ls') with
--- lsp/kconfig_ls.lua; on 0.9 and 0.10, vim.lsp.start from a FileType autocommand.
if vim.g.loaded_kconfig_ls then
  return
end
vim.g.loaded_kconfig_ls = true

-- Neovim already knows Kconfig, Kconfig.*, Config.in and Kbuild (as make).
vim.filetype.add({
  extension = {
    kconfig = 'kconfig',
  },
  filename = {
    ['.config'] = 'kconfig-config',
    ['.config.old'] = 'kconfig-config',
    ['defconfig'] = 'kconfig-config',
    ['prj.conf'] = 'kconfig-config',
  },
  pattern = {
    ['.*_defconfig'] = 'kconfig-config',
    ['prj_.*%.conf'] = 'kconfig-config',
    ['overlay%-.*%.conf'] = 'kconfig-config',
    ['.*/boards/.*%.conf'] = 'kconfig-config',
    ['.*/configs/.*%.config'] = 'kconfig-config',
    ['.*/configs/.*%.conf'] = 'kconfig-config',
  },
})

require('kconfig_ls').apply()
