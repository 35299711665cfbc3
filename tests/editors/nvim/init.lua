-- init.lua for the Neovim editor test: `nvim --headless --clean -u init.lua`.
-- The environment variable KCONFIG_LS_NVIM_TEST holds the test's parameters as
-- JSON: plugin (editors/nvim), check (check_plugin.lua), cmd, mode ("enable"
-- or "start"), workspace, out, and the example's file names.
-- Any error here quits Neovim with a non-zero status, instead of leaving a
-- headless Neovim waiting for input.
local ok, failure = pcall(function()
  local test = vim.json.decode((assert(os.getenv('KCONFIG_LS_NVIM_TEST'), 'set KCONFIG_LS_NVIM_TEST')))
  vim.g.kconfig_ls_test = test
  vim.opt.runtimepath:prepend(test.plugin)
  -- The two ways to configure the plugin: setup() (what lazy.nvim's `opts` calls) and vim.g.kconfig_ls.
  local options = {
    cmd = test.cmd,
    use_lsp_start = test.mode == 'start',
    settings = test.settings,
    inlay_hints = true,
    codelens = true,
  }
  if test.mode == 'enable' then
    require('kconfig_ls').setup(options)
  else
    vim.g.kconfig_ls = options
  end
  vim.o.swapfile = false
  require('vim.lsp.log').set_level(test.log_level or 'info')
  vim.api.nvim_create_autocmd('VimEnter', {
    once = true,
    callback = function()
      vim.schedule(function()
        local ok, failure = pcall(dofile, test.check)
        if not ok then
          -- check_plugin.lua writes its own results; this is for when it cannot even run.
          local file = io.open(test.out, 'w')
          if file then
            file:write(vim.json.encode({ error = tostring(failure) }))
            file:close()
          end
          vim.cmd('cquit! 2')
        end
      end)
    end,
  })
end)
if not ok then
  io.stderr:write('init.lua: ' .. tostring(failure) .. '\n')
  vim.cmd('cquit! 3')
end
