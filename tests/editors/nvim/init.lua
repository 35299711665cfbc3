-- init.lua for the Neovim editor test: `nvim --headless --clean -u init.lua`.
-- The environment variable KCONFIG_LS_NVIM_TEST holds the test's parameters as
-- JSON: plugin (editors/nvim), check (check_plugin.lua), cmd, mode
-- ("enable" or "start"), workspace, out.
local test = vim.json.decode(assert(os.getenv('KCONFIG_LS_NVIM_TEST'), 'set KCONFIG_LS_NVIM_TEST'))
vim.g.kconfig_ls_test = test
vim.opt.runtimepath:prepend(test.plugin)
vim.g.kconfig_ls = {
  cmd = test.cmd,
  use_lsp_start = test.mode == 'start',
}
vim.lsp.set_log_level(test.log_level or 'info')
vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  callback = function()
    vim.schedule(function()
      dofile(test.check)
    end)
  end,
})
