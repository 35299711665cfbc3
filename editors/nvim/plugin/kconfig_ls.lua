--- kconfig-ls for Neovim: filetypes for Kconfig configuration files, and the
--- language server for Kconfig, configuration, C and Makefile buffers of a
--- Kconfig tree.  On Neovim 0.11+ it uses vim.lsp.enable('kconfig_ls') with
--- lsp/kconfig_ls.lua; on 0.9 and 0.10, vim.lsp.start from a FileType autocommand.
if vim.g.loaded_kconfig_ls then
  return
end
vim.g.loaded_kconfig_ls = true

-- Neovim already knows Kconfig, Kconfig.* (ESP-IDF's Kconfig.projbuild too), Config.in, Config.in.*
-- and Kbuild (as make).  The rules below add the other Kconfig files and each ecosystem's
-- configuration files; tests/editors/test_file_patterns.py holds them to a table of real names.

--- coreboot's configs/config.<board>: configuration files, but not code that happens to live in a
--- configs/ folder (config.h, config.py, ...).
local function coreboot_config(path)
  if not path:match('%.[ch]$') and not path:match('%.py$') and not path:match('%.json$') then
    return 'kconfig-config'
  end
end

vim.filetype.add({
  extension = {
    kconfig = 'kconfig',
    projbuild = 'kconfig',
  },
  filename = {
    ['.config'] = 'kconfig-config',
    ['.config.old'] = 'kconfig-config',
    ['defconfig'] = 'kconfig-config',
    ['prj.conf'] = 'kconfig-config',
    ['sdkconfig'] = 'kconfig-config',
    ['sdkconfig.old'] = 'kconfig-config',
  },
  pattern = {
    ['.*_defconfig'] = 'kconfig-config',
    ['prj_.*%.conf'] = 'kconfig-config',
    ['overlay%-.*%.conf'] = 'kconfig-config',
    ['.*/boards/.*%.conf'] = 'kconfig-config',
    ['.*/configs/.*%.config'] = 'kconfig-config',
    ['.*/configs/.*%.conf'] = 'kconfig-config',
    ['.*/configs/config%..*'] = coreboot_config,
    ['sdkconfig%.defaults'] = 'kconfig-config',
    ['sdkconfig%.defaults%..*'] = 'kconfig-config',
    ['sdkconfig%.ci'] = 'kconfig-config',
    ['sdkconfig%.ci%..*'] = 'kconfig-config',
  },
})

-- The plugin's own part in each buffer a kconfig-ls client attaches to (:KconfigSelectConfiguration,
-- inlay hints and code lenses as the options say); lsp/kconfig_ls.lua's on_attach makes the :Lsp...
-- commands, as nvim-lspconfig's configurations do.
vim.api.nvim_create_autocmd('LspAttach', {
  group = vim.api.nvim_create_augroup('kconfig_ls_attach', { clear = true }),
  callback = function(event)
    local client = vim.lsp.get_client_by_id(event.data.client_id)
    if client and client.name == 'kconfig_ls' then
      require('kconfig_ls').on_attach(client, event.buf)
    end
  end,
})

require('kconfig_ls').apply()
