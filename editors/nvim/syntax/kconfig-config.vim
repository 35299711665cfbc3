" Kconfig configuration files (.config, defconfig, prj.conf).
if exists('b:current_syntax')
  finish
endif

syntax match kconfigConfigComment /^\s*#.*$/ contains=kconfigConfigNotSet
syntax match kconfigConfigNotSet /\<[A-Za-z0-9_]\+\s\+is not set\>/ contained contains=kconfigConfigSymbol
syntax match kconfigConfigSymbol /^\s*\zs[A-Za-z0-9_]\+\ze\s*=/
syntax match kconfigConfigSymbol /\<[A-Za-z0-9_]\+\ze\s\+is not set/ contained
syntax match kconfigConfigOperator /=/ nextgroup=kconfigConfigValue,kconfigConfigString,kconfigConfigNumber
syntax match kconfigConfigValue /\<[ymn]\>/ contained
syntax match kconfigConfigNumber /\<\(0[xX]\x\+\|-\?\d\+\)\>/ contained
syntax region kconfigConfigString start=/"/ skip=/\\./ end=/"/ contained

highlight default link kconfigConfigComment Comment
highlight default link kconfigConfigNotSet Comment
highlight default link kconfigConfigSymbol Identifier
highlight default link kconfigConfigOperator Operator
highlight default link kconfigConfigValue Constant
highlight default link kconfigConfigNumber Number
highlight default link kconfigConfigString String

let b:current_syntax = 'kconfig-config'
