# Embeds api/openapi.json into the api library as a C++ byte array, so the
# document /openapi.json serves is the file the tests validate. Run in script
# mode: cmake -DINPUT=<openapi.json> -DOUTPUT=<generated .cpp> -P openapi.cmake
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
string(REGEX REPLACE "(('\\\\x[0-9a-f][0-9a-f]',){16})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp" "// Generated from api/openapi.json by api/openapi.cmake. Do not edit.
#include \"api/openapi.hpp\"

namespace csd {
namespace {
constexpr char kDocument[${size}] = {
${bytes}
};
}  // namespace

std::string_view openapi_document() noexcept { return {kDocument, sizeof kDocument}; }

}  // namespace csd
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
