# Project-wide warning flags; every target of ours calls chainsyncd_warnings().
function(chainsyncd_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wconversion -Wsign-conversion -Wimplicit-fallthrough)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    # GCC 12 reports bogus -Wrestrict/-Warray-bounds inside libstdc++'s
    # std::string at -O2 and above (GCC bug 105329, 105651).
    target_compile_options(${target} PRIVATE -Wno-restrict -Wno-array-bounds -Wno-stringop-overflow)
  endif()
  if(CHAINSYNCD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
