-- The Neovim editor test's checks, run inside headless Neovim by init.lua.
-- It opens files of the example tree, waits on conditions (never fixed sleeps),
-- asks the server for hover and definition, and writes what it saw as JSON to
-- test.out for tests/editors/test_neovim.py to assert on.  It always quits.
local test = vim.g.kconfig_ls_test
local uv = vim.uv or vim.loop
local started = uv.hrtime()
local results = {
  nvim_version = tostring(vim.version()),
  mode = test.mode,
  uses_lsp_enable = require('kconfig_ls').uses_lsp_enable(),
  attached = {},
  timings = {},
}

local function seconds()
  return math.floor((uv.hrtime() - started) / 1e6) / 1000
end

local function mark(what)
  results.timings[what] = seconds()
end

local function wait(timeout_ms, condition, what)
  if not vim.wait(timeout_ms, condition, 20) then
    error(('timed out after %d ms waiting for %s'):format(timeout_ms, what), 0)
  end
end

-- Record every attach, as the LspAttach event reports it (it fires once the
-- client is initialized).
local attached_buffers = {}
vim.api.nvim_create_autocmd('LspAttach', {
  callback = function(event)
    local client = vim.lsp.get_client_by_id(event.data.client_id)
    if client and client.name == 'kconfig_ls' then
      attached_buffers[event.buf] = client
    end
  end,
})

--- Opens a file of the workspace and waits until kconfig_ls is attached to it.
local function open(relative)
  local path = test.workspace .. '/' .. relative
  local existing = vim.fn.bufnr(path)
  if existing > 0 and vim.api.nvim_buf_is_loaded(existing) then
    vim.api.nvim_set_current_buf(existing)
  else
    vim.cmd.edit(vim.fn.fnameescape(path))
  end
  local buffer = vim.api.nvim_get_current_buf()
  wait(30000, function()
    return attached_buffers[buffer] ~= nil
  end, 'kconfig_ls to attach to ' .. relative)
  local client = attached_buffers[buffer]
  results.attached[relative] = {
    filetype = vim.bo[buffer].filetype,
    client_id = client.id,
    root_dir = client.config.root_dir,
  }
  return buffer, client
end

--- The 0-based position of the middle of `word` on a 1-based line of a buffer.
local function position_of(buffer, line_number, word)
  local line = vim.api.nvim_buf_get_lines(buffer, line_number - 1, line_number, true)[1]
  local column = line:find(word, 1, true)
  if column == nil then
    error(('line %d is %q, without %q'):format(line_number, line, word), 0)
  end
  return { line = line_number - 1, character = column - 1 + math.floor(#word / 2) }
end

--- Sends a request until a non-empty result arrives or the timeout passes.
local function request(buffer, method, position, timeout_ms, range)
  local params = { textDocument = { uri = vim.uri_from_bufnr(buffer) }, position = position, range = range }
  local deadline = uv.now() + timeout_ms
  local last_error
  repeat
    local responses = vim.lsp.buf_request_sync(buffer, method, params, 10000) or {}
    for _, response in pairs(responses) do
      if response.error then
        last_error = response.error
      elseif response.result ~= nil and response.result ~= vim.NIL and not vim.tbl_isempty(response.result) then
        return response.result
      end
    end
    vim.wait(200)
    uv.update_time()
  until uv.now() > deadline
  error(('no result for %s within %d ms (last error: %s)'):format(method, timeout_ms, vim.inspect(last_error)), 0)
end

--- The text of a hover result, whatever shape its contents have.
local function hover_text(hover)
  local contents = hover.contents
  if type(contents) == 'string' then
    return contents
  end
  if contents.value then
    return contents.value
  end
  local parts = {}
  for _, part in ipairs(contents) do
    parts[#parts + 1] = type(part) == 'string' and part or part.value
  end
  return table.concat(parts, '\n')
end

--- Steps 1 to 4: attach, diagnostics, commands, hover, definition, configuration files.
local function check_basics()
  -- 1. Attach to a Kconfig buffer; its diagnostics arrive.
  local kconfig, client = open(test.select_file)
  results.offset_encoding = client.offset_encoding
  results.server_info = client.server_info
  mark('kconfig attached')
  wait(60000, function()
    for _, diagnostic in ipairs(vim.diagnostic.get(kconfig)) do
      if diagnostic.code == 'KLS001' then
        return true
      end
    end
    return false
  end, 'a KLS001 diagnostic in ' .. test.select_file)
  results.diagnostics = {}
  for _, diagnostic in ipairs(vim.diagnostic.get(kconfig)) do
    table.insert(results.diagnostics, {
      lnum = diagnostic.lnum,
      col = diagnostic.col,
      code = diagnostic.code,
      severity = diagnostic.severity,
      source = diagnostic.source,
      message = diagnostic.message,
    })
  end
  mark('diagnostics')

  -- 1b. The buffer-local commands of lsp/kconfig_ls.lua's on_attach; one of them changes a setting.
  results.buffer_commands = vim.tbl_keys(vim.api.nvim_buf_get_commands(kconfig, {}))
  table.sort(results.buffer_commands)
  vim.cmd('LspKconfigSetArch x86')
  results.arch_after_command = (client.settings or client.config.settings)['kconfig-ls'].arch

  -- 2. Hover on MIGRATION where it is defined.
  local definition_buffer = open(test.definition_file)
  local hover = request(definition_buffer, 'textDocument/hover',
    position_of(definition_buffer, test.definition_line, 'MIGRATION'), 30000)
  results.hover = hover_text(hover)
  mark('hover')

  -- 3. Attach to a C buffer; definition of CONFIG_MIGRATION.
  local c_buffer = open(test.c_file)
  local locations = request(c_buffer, 'textDocument/definition',
    position_of(c_buffer, test.c_line, 'CONFIG_MIGRATION'), 30000)
  if locations.uri or locations.targetUri then
    locations = { locations }
  end
  results.definitions = {}
  for _, location in ipairs(locations) do
    local uri = location.uri or location.targetUri
    local range = location.targetSelectionRange or location.range
    local path = vim.uri_to_fname(uri)
    local lines = vim.fn.readfile(path)
    table.insert(results.definitions, {
      path = path,
      line = range.start.line,
      text = lines[range.start.line + 1],
    })
  end
  mark('definition')

  -- 4. A configuration file gets the kconfig-config filetype and the same server.
  local config_buffer, config_client = open(test.config_file)
  results.config_filetype = vim.bo[config_buffer].filetype
  results.settings = config_client.config.settings
  mark('configuration file')
end

--- Steps 5 and 6: the active configuration, inactive regions, code lenses.
local function check_configuration()
  local definition_buffer, client = open(test.definition_file)
  local c_buffer = open(test.inactive_c_file)

  -- 5. The active configuration: :KconfigSelectConfiguration (the plugin's) sends the server's
  -- command; its status arrives in b:kconfig_ls_configuration; the C file's inactive #ifdef
  -- blocks become extmarks.  Then the defconfig, where those blocks are active.
  local namespace = vim.api.nvim_create_namespace('kconfig_ls_inactive')
  results.buffer_commands_c = vim.tbl_keys(vim.api.nvim_buf_get_commands(c_buffer, {}))
  table.sort(results.buffer_commands_c)
  local status_events = 0
  vim.api.nvim_create_autocmd('User', {
    pattern = 'KconfigConfigurationStatus',
    callback = function()
      status_events = status_events + 1
    end,
  })
  local function inactive_rows(buffer)
    local rows = {}
    for _, mark in ipairs(vim.api.nvim_buf_get_extmarks(buffer, namespace, 0, -1, { details = true })) do
      local details = mark[4]
      local last = details.end_row or mark[2]
      if (details.end_col or 0) == 0 and last > mark[2] then
        last = last - 1
      end
      for row = mark[2], last do
        rows[#rows + 1] = row + 1
      end
      results.inactive_hl_group = details.hl_group
    end
    table.sort(rows)
    return rows
  end
  local function same(left, right)
    return vim.deep_equal(left, right)
  end
  local function select_and_wait(command, file, expected_rows)
    vim.api.nvim_set_current_buf(c_buffer)
    vim.cmd(command .. ' ' .. vim.fn.fnameescape(file))
    wait(60000, function()
      local status = require('kconfig_ls').status(c_buffer)
      return status ~= nil and type(status.path) == 'string' and vim.fs.normalize(status.path) == vim.fs.normalize(file)
    end, 'the configuration status of ' .. file)
    local ok = vim.wait(60000, function()
      return same(inactive_rows(c_buffer), expected_rows)
    end, 20)
    if not ok then
      error(('the inactive rows of %s are %s, expected %s'):format(test.inactive_c_file,
        vim.inspect(inactive_rows(c_buffer)), vim.inspect(expected_rows)), 0)
    end
  end
  local dot_config = test.workspace .. '/' .. test.dot_config
  select_and_wait('KconfigSelectConfiguration', dot_config, test.inactive_rows)
  results.status = require('kconfig_ls').status(c_buffer)
  results.statusline = require('kconfig_ls').statusline(c_buffer)
  assert(load(test.readme_statusline))()
  results.readme_statusline_text = vim.api.nvim_eval_statusline(vim.o.statusline, {}).str
  results.inactive_rows = inactive_rows(c_buffer)
  results.inactive_hl_link = vim.api.nvim_get_hl(0, { name = 'KconfigInactive' }).link
  mark('inactive regions')

  -- 5b. The options inlay_hints and codelens: on in the Kconfig buffer; the hints name values.
  results.inlay_hints_enabled = vim.lsp.inlay_hint.is_enabled({ bufnr = definition_buffer })
  vim.api.nvim_set_current_buf(definition_buffer)
  -- Neovim asks for the hints of the part of a buffer it draws; a headless Neovim draws nothing,
  -- so the test asks for the line itself.
  local depends_line = test.definition_line + 2
  local line_text = vim.api.nvim_buf_get_lines(definition_buffer, depends_line, depends_line + 1, true)[1]
  local hints = request(definition_buffer, 'textDocument/inlayHint', nil, 30000, {
    start = { line = depends_line, character = 0 },
    ['end'] = { line = depends_line, character = #line_text },
  })
  results.inlay_hints = {}
  for _, hint in ipairs(hints) do
    local label = hint.label
    if type(label) == 'table' then
      local parts = {}
      for _, part in ipairs(label) do
        parts[#parts + 1] = part.value
      end
      label = table.concat(parts)
    end
    results.inlay_hints[#results.inlay_hints + 1] = label
  end
  results.depends_line_text = line_text
  vim.wait(30000, function()
    return #vim.lsp.codelens.get(definition_buffer) > 0
  end, 50)
  results.displayed_code_lenses = #vim.lsp.codelens.get(definition_buffer)
  mark('inlay hints')
  local defconfig = test.workspace .. '/' .. test.config_file
  -- The lspconfig-style command of lsp/kconfig_ls.lua does the same.
  select_and_wait('LspKconfigSelectConfiguration', defconfig, test.inactive_rows_after_switch)
  results.status_after_switch = require('kconfig_ls').status(c_buffer)
  results.inactive_rows_after_switch = inactive_rows(c_buffer)
  -- With !, no configuration: nothing greyed.
  vim.cmd('KconfigSelectConfiguration!')
  local cleared = vim.wait(30000, function()
    local status = require('kconfig_ls').status(c_buffer)
    return status ~= nil and status.path == nil and #inactive_rows(c_buffer) == 0
  end, 20)
  results.status_without_configuration = require('kconfig_ls').status(c_buffer)
  results.inactive_rows_without_configuration = inactive_rows(c_buffer)
  results.cleared_without_configuration = cleared
  -- Back to the defconfig for the checks below.
  select_and_wait('KconfigSelectConfiguration', defconfig, test.inactive_rows_after_switch)
  results.status_events = status_events
  mark('configuration switched')

  -- 6. A code lens on `config MIGRATION` runs kconfig-ls.showLocations: the location list.
  results.code_lens_provider = client.server_capabilities.codeLensProvider ~= nil
  if not results.code_lens_provider then
    return
  end
  local lenses = request(definition_buffer, 'textDocument/codeLens', nil, 30000)
  local lens_line = test.definition_line - 1
  for index, lens in ipairs(lenses) do
    if lens.command == nil and lens.range.start.line == lens_line then
      local responses = vim.lsp.buf_request_sync(definition_buffer, 'codeLens/resolve', lens, 10000) or {}
      for _, response in pairs(responses) do
        lenses[index] = response.result or lens
      end
    end
  end
  local chosen
  for _, lens in ipairs(lenses) do
    if lens.range.start.line == lens_line and lens.command and lens.command.command == 'kconfig-ls.showLocations' then
      chosen = lens
      break
    end
  end
  results.code_lenses = {}
  for _, lens in ipairs(lenses) do
    if lens.range.start.line == lens_line then
      table.insert(results.code_lenses, lens.command and lens.command.title or '(unresolved)')
    end
  end
  if chosen then
    vim.api.nvim_set_current_buf(definition_buffer)
    if vim.fn.has('nvim-0.11') == 1 then
      client:exec_cmd(chosen.command, { bufnr = definition_buffer })
    else
      client._exec_cmd(chosen.command, { bufnr = definition_buffer })
    end
    local list = vim.fn.getloclist(0, { title = 1, items = 1 })
    results.location_list = { title = list.title, items = {} }
    for _, item in ipairs(list.items) do
      table.insert(results.location_list.items, { path = vim.api.nvim_buf_get_name(item.bufnr), lnum = item.lnum })
    end
    results.location_list_open = vim.fn.getloclist(0, { winid = 1 }).winid ~= 0
    vim.cmd.lclose()
  end
  mark('code lens')
end

local steps = { basics = check_basics, configuration = check_configuration }
local function run()
  for _, step in ipairs(test.steps or { 'basics', 'configuration' }) do
    steps[step]()
  end
end

local ok, failure = xpcall(run, debug.traceback)
if not ok then
  results.error = failure
end
results.lsp_log = require('vim.lsp.log').get_filename()
mark('total')
local file = assert(io.open(test.out, 'w'))
file:write(vim.json.encode(results))
file:close()
vim.cmd('qa!')
