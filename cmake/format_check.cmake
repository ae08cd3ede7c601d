# ctest `clang_format`: every C++ source keeps to the root .clang-format, so a
# drift fails the suite instead of surfacing as noise in a later diff.
# Debian 12's clang-format is version 14; other versions format differently,
# so only that one is used.
find_program(CHAINSYNCD_CLANG_FORMAT NAMES clang-format-14)
if(NOT CHAINSYNCD_CLANG_FORMAT)
  message(WARNING "clang-format-14 not found: the clang_format test is skipped (contrib/install-deps.sh installs it)")
  return()
endif()
set(format_globs)
foreach(dir IN ITEMS decoders store chains api daemon tests contrib/bench)
  list(APPEND format_globs "${PROJECT_SOURCE_DIR}/${dir}/*.cpp" "${PROJECT_SOURCE_DIR}/${dir}/*.hpp")
endforeach()
file(GLOB_RECURSE format_sources CONFIGURE_DEPENDS ${format_globs})
add_test(NAME clang_format COMMAND "${CHAINSYNCD_CLANG_FORMAT}" --dry-run -Werror ${format_sources})
