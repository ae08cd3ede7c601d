// The OpenAPI 3.0 description of the read-only API (SPEC 5: GET /openapi.json),
// kept as api/openapi.json in the source tree and compiled into the binary
// (api/openapi.cmake), so the document served is exactly the one the tests
// validate.
//
// Thread safety: immutable data.
#pragma once

#include <string_view>

namespace csd {

// The JSON text of api/openapi.json.
[[nodiscard]] std::string_view openapi_document() noexcept;

}  // namespace csd
