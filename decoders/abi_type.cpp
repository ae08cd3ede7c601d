#include "decoders/abi_type.hpp"

#include <optional>

namespace csd {
namespace {

constexpr std::size_t kWord = 32;

bool is_ident_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
}

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::size_t skip_space(std::string_view text, std::size_t pos) noexcept {
  while (pos < text.size() && is_space(text[pos])) ++pos;
  return pos;
}

Error type_error(std::string_view text, std::string_view why) {
  return make_error(ErrorCode::kInvalidArgument, "type '" + std::string(text) + "': " + std::string(why));
}

// Canonical decimal: digits only, no leading zero, value <= max.
std::optional<std::uint64_t> parse_decimal_number(std::string_view digits, std::uint64_t max) {
  if (digits.empty() || digits.size() > 10 || (digits.size() > 1 && digits[0] == '0')) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > max) return std::nullopt;
  return value;
}

bool all_digits(std::string_view text) noexcept {
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// uintN / intN: N in 8..256 step 8; the bare name is an alias of N = 256.
Result<AbiType> parse_integer(std::string_view name, std::string_view digits, AbiBaseKind kind) {
  AbiType type;
  type.base = kind;
  if (digits.empty()) return type;  // "uint" / "int" alias (ABI spec: canonical is uint256/int256)
  if (!all_digits(digits)) return type_error(name, "unknown type");
  const auto bits = parse_decimal_number(digits, 256);
  if (!bits || *bits < 8 || *bits % 8 != 0) {
    return type_error(name, kind == AbiBaseKind::kUint ? "uintN needs N in 8..256, a multiple of 8"
                                                       : "intN needs N in 8..256, a multiple of 8");
  }
  type.width = static_cast<std::uint16_t>(*bits);
  return type;
}

Result<AbiType> parse_base(std::string_view name) {
  AbiType type;
  type.width = 0;
  if (name == "address") {
    type.base = AbiBaseKind::kAddress;
    return type;
  }
  if (name == "bool") {
    type.base = AbiBaseKind::kBool;
    return type;
  }
  if (name == "string") {
    type.base = AbiBaseKind::kString;
    return type;
  }
  if (name == "bytes") {
    type.base = AbiBaseKind::kBytes;
    return type;
  }
  if (name.starts_with("uint")) return parse_integer(name, name.substr(4), AbiBaseKind::kUint);
  if (name.starts_with("int")) return parse_integer(name, name.substr(3), AbiBaseKind::kInt);
  if (name.starts_with("bytes") && all_digits(name.substr(5))) {
    const auto size = parse_decimal_number(name.substr(5), 32);
    if (!size || *size == 0) return type_error(name, "bytesN needs N in 1..32");
    type.base = AbiBaseKind::kFixedBytes;
    type.width = static_cast<std::uint16_t>(*size);
    return type;
  }
  if (name == "tuple") return type_error(name, "tuple types are not supported");
  if (name.starts_with("fixed") || name.starts_with("ufixed")) {
    return type_error(name, "fixed-point types are not supported");
  }
  if (name == "function") return type_error(name, "function types are not supported");
  return type_error(name, "unknown type");
}

// One "[k]" or "[]" starting at text[pos] == '['. Returns the position after ']'.
Result<std::size_t> parse_dim(std::string_view text, std::size_t pos, AbiType& type) {
  const std::size_t close = text.find(']', pos);
  if (close == std::string_view::npos) return type_error(text, "missing ']'");
  std::string_view inner = text.substr(pos + 1, close - pos - 1);
  while (!inner.empty() && is_space(inner.front())) inner.remove_prefix(1);
  while (!inner.empty() && is_space(inner.back())) inner.remove_suffix(1);
  if (type.dims.size() == AbiType::kMaxDims) {
    return type_error(text, "more than " + std::to_string(AbiType::kMaxDims) + " array dimensions");
  }
  if (inner.empty()) {
    type.dims.push_back(AbiType::kDynamicDim);
    return close + 1;
  }
  const auto length = parse_decimal_number(inner, 0xffffffffULL);
  if (!length) return type_error(text, "array length '" + std::string(inner) + "' is not a decimal number");
  if (*length == 0) return type_error(text, "zero-length fixed arrays are not supported");
  // k elements of head_size bytes each form the array's own head; bound it so
  // no later size arithmetic can overflow.
  const std::uint64_t element_head = type.head_size();
  if (*length * element_head > AbiType::kMaxStaticSize) {
    return type_error(text, "array of " + std::to_string(*length) + " elements exceeds the " +
                                std::to_string(AbiType::kMaxStaticSize) + "-byte size limit");
  }
  type.dims.push_back(static_cast<std::uint32_t>(*length));
  return close + 1;
}

}  // namespace

bool AbiType::is_dynamic(std::size_t dims_used) const noexcept {
  if (base == AbiBaseKind::kBytes || base == AbiBaseKind::kString) return true;
  for (std::size_t i = 0; i < dims_used && i < dims.size(); ++i) {
    if (dims[i] == kDynamicDim) return true;
  }
  return false;
}

std::size_t AbiType::head_size(std::size_t dims_used) const noexcept {
  if (is_dynamic(dims_used)) return kWord;
  std::size_t size = kWord;
  for (std::size_t i = 0; i < dims_used && i < dims.size(); ++i) size *= dims[i];
  return size;
}

std::string AbiType::base_name() const {
  switch (base) {
    case AbiBaseKind::kUint:
      return "uint" + std::to_string(width);
    case AbiBaseKind::kInt:
      return "int" + std::to_string(width);
    case AbiBaseKind::kAddress:
      return "address";
    case AbiBaseKind::kBool:
      return "bool";
    case AbiBaseKind::kFixedBytes:
      return "bytes" + std::to_string(width);
    case AbiBaseKind::kBytes:
      return "bytes";
    case AbiBaseKind::kString:
      return "string";
  }
  return "?";
}

std::string AbiType::canonical(std::size_t dims_used) const {
  std::string out = base_name();
  for (std::size_t i = 0; i < dims_used && i < dims.size(); ++i) {
    out += '[';
    if (dims[i] != kDynamicDim) out += std::to_string(dims[i]);
    out += ']';
  }
  return out;
}

Result<AbiTypePrefix> parse_abi_type_prefix(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size() && is_ident_char(text[pos])) ++pos;
  if (pos == 0) {
    if (!text.empty() && text[0] == '(') return type_error(text, "tuple types are not supported");
    return type_error(text, "expected a type name");
  }
  auto base = parse_base(text.substr(0, pos));
  if (!base) return std::move(base).error();
  AbiTypePrefix out{std::move(*base), pos};
  for (;;) {
    const std::size_t next = skip_space(text, pos);
    if (next >= text.size() || text[next] != '[') break;
    auto after = parse_dim(text, next, out.type);
    if (!after) return std::move(after).error();
    pos = *after;
  }
  out.length = pos;
  return out;
}

Result<AbiType> parse_abi_type(std::string_view text) {
  const std::size_t start = skip_space(text, 0);
  auto prefix = parse_abi_type_prefix(text.substr(start));
  if (!prefix) return std::move(prefix).error();
  if (skip_space(text, start + prefix->length) != text.size()) {
    return type_error(text, "unexpected text after the type");
  }
  return std::move(prefix->type);
}

}  // namespace csd
