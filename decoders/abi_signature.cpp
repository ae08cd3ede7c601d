#include "decoders/abi_signature.hpp"

#include <algorithm>
#include <optional>

#include "decoders/keccak.hpp"

namespace csd {
namespace {

// ---------------------------------------------------------------------------
// Lexical helpers

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_ident_start(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}

bool is_ident_char(char c) noexcept {
  return is_ident_start(c) || (c >= '0' && c <= '9');
}

bool is_identifier(std::string_view text) noexcept {
  return !text.empty() && is_ident_start(text[0]) && std::all_of(text.begin(), text.end(), is_ident_char);
}

std::size_t skip_space(std::string_view text, std::size_t pos) noexcept {
  while (pos < text.size() && is_space(text[pos])) ++pos;
  return pos;
}

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Whitespace-separated words of `text`.
std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t pos = skip_space(text, 0);
  while (pos < text.size()) {
    std::size_t end = pos;
    while (end < text.size() && !is_space(text[end])) ++end;
    words.push_back(text.substr(pos, end - pos));
    pos = skip_space(text, end);
  }
  return words;
}

// ---------------------------------------------------------------------------
// Types

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
  const std::string_view inner = trim(text.substr(pos + 1, close - pos - 1));
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

// A type at the start of some text and how many characters it used, so the
// parameter parser can continue after it ("uint8[2] indexed x" -> 8).
struct AbiTypePrefix {
  AbiType type;
  std::size_t length = 0;
};

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

// ---------------------------------------------------------------------------
// Event parameters

Error param_error(std::size_t index, std::string_view why) {
  return make_error(ErrorCode::kInvalidArgument,
                    "parameter " + std::to_string(index + 1) + ": " + std::string(why));
}

// "<type> [indexed] [name]".
Result<EventParam> parse_param(std::string_view text, std::size_t index) {
  text = trim(text);
  if (text.empty()) return param_error(index, "empty");
  auto prefix = parse_abi_type_prefix(text);
  if (!prefix) return param_error(index, prefix.error().message);
  EventParam param;
  param.type = std::move(prefix->type);
  const std::vector<std::string_view> words = split_words(text.substr(prefix->length));
  std::size_t next = 0;
  if (next < words.size() && words[next] == "indexed") {
    param.indexed = true;
    ++next;
  }
  if (next < words.size()) {
    if (!is_identifier(words[next]) || words[next] == "indexed") {
      return param_error(index, "'" + std::string(words[next]) + "' is not a parameter name");
    }
    param.name = std::string(words[next]);
    ++next;
  }
  if (next < words.size()) {
    return param_error(index, "unexpected '" + std::string(words[next]) + "' after the name");
  }
  return param;
}

// Splits "(...)" contents on commas; "" and all-whitespace mean no parameters.
Result<std::vector<EventParam>> parse_params(std::string_view inner) {
  std::vector<EventParam> params;
  if (trim(inner).empty()) return params;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = inner.find(',', start);
    const std::string_view piece =
        inner.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    auto param = parse_param(piece, params.size());
    if (!param) return std::move(param).error();
    params.push_back(std::move(*param));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return params;
}

}  // namespace

Result<AbiType> parse_abi_type(std::string_view text) {
  const std::size_t start = skip_space(text, 0);
  auto prefix = parse_abi_type_prefix(text.substr(start));
  if (!prefix) return std::move(prefix).error();
  if (skip_space(text, start + prefix->length) != text.size()) {
    return type_error(text, "unexpected text after the type");
  }
  return std::move(prefix->type);
}

Result<EventSignature> parse_event_signature(std::string_view text) {
  const auto fail = [&](std::string_view why) {
    return make_error(ErrorCode::kInvalidArgument,
                      "abi: signature '" + std::string(text) + "': " + std::string(why));
  };
  std::size_t pos = skip_space(text, 0);
  // Optional "event" keyword: only when followed by whitespace, so an event
  // named "eventFoo" is still a name.
  if (text.substr(pos).starts_with("event") && pos + 5 < text.size() && is_space(text[pos + 5])) {
    pos = skip_space(text, pos + 5);
  }
  const std::size_t name_start = pos;
  if (pos < text.size() && is_ident_start(text[pos])) {
    while (pos < text.size() && is_ident_char(text[pos])) ++pos;
  }
  if (pos == name_start) return fail("expected an event name");
  EventSignature signature;
  signature.name_ = std::string(text.substr(name_start, pos - name_start));
  pos = skip_space(text, pos);
  if (pos >= text.size() || text[pos] != '(') return fail("expected '(' after the event name");
  const std::size_t close = text.find(')', pos);
  if (close == std::string_view::npos) return fail("missing ')'");
  const std::string_view inner = text.substr(pos + 1, close - pos - 1);
  if (inner.find('(') != std::string_view::npos) return fail("tuple parameters are not supported");
  std::size_t after = skip_space(text, close + 1);
  if (text.substr(after).starts_with("anonymous")) return fail("anonymous events are not supported");
  if (after < text.size() && text[after] == ';') after = skip_space(text, after + 1);
  if (after != text.size()) return fail("unexpected text after ')'");

  auto params = parse_params(inner);
  if (!params) return fail(params.error().message);
  signature.params_ = std::move(*params);
  signature.canonical_ = signature.name_ + "(";
  for (std::size_t i = 0; i < signature.params_.size(); ++i) {
    const EventParam& param = signature.params_[i];
    if (i > 0) signature.canonical_ += ',';
    signature.canonical_ += param.type.canonical();
    if (param.indexed) {
      ++signature.indexed_count_;
    } else {
      signature.data_head_size_ += param.type.head_size();
    }
  }
  signature.canonical_ += ')';
  if (signature.indexed_count_ > EventSignature::kMaxIndexed) {
    return fail(std::to_string(signature.indexed_count_) + " indexed parameters, at most " +
                std::to_string(EventSignature::kMaxIndexed) + " allowed");
  }
  signature.topic0_ = keccak256(std::string_view(signature.canonical_));
  return signature;
}

}  // namespace csd
