# Project-wide warning flags; every target of ours calls chainsyncd_warnings().
function(chainsyncd_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wconversion -Wsign-conversion -Wimplicit-fallthrough)
  if(CHAINSYNCD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
