#include "decoders/abi_value.hpp"

namespace csd {
namespace {

Error kind_error(AbiValueKind actual, const char* wanted) {
  return make_error(ErrorCode::kInvalidArgument,
                    std::string("abi: value is ") + abi_value_kind_name(actual) + ", not " + wanted);
}

}  // namespace

const char* abi_value_kind_name(AbiValueKind kind) noexcept {
  switch (kind) {
    case AbiValueKind::kUint:
      return "uint";
    case AbiValueKind::kInt:
      return "int";
    case AbiValueKind::kAddress:
      return "address";
    case AbiValueKind::kBool:
      return "bool";
    case AbiValueKind::kFixedBytes:
      return "bytesN";
    case AbiValueKind::kBytes:
      return "bytes";
    case AbiValueKind::kString:
      return "string";
    case AbiValueKind::kArray:
      return "array";
    case AbiValueKind::kTopicHash:
      return "topic hash";
  }
  return "?";
}

Result<U256> AbiValue::as_u256() const {
  if (const auto* v = std::get_if<U256>(&storage)) return *v;
  return kind_error(kind(), "uint");
}

Result<std::uint64_t> AbiValue::as_u64() const {
  const auto* v = std::get_if<U256>(&storage);
  if (v == nullptr) return kind_error(kind(), "uint");
  if (!v->fits_u64()) {
    return make_error(ErrorCode::kOutOfRange, "abi: value " + to_decimal(*v) + " exceeds 64 bits");
  }
  return v->low64();
}

Result<I256> AbiValue::as_i256() const {
  if (const auto* v = std::get_if<I256>(&storage)) return *v;
  return kind_error(kind(), "int");
}

Result<EvmAddress> AbiValue::as_address() const {
  if (const auto* v = std::get_if<EvmAddress>(&storage)) return *v;
  return kind_error(kind(), "address");
}

Result<bool> AbiValue::as_bool() const {
  if (const auto* v = std::get_if<bool>(&storage)) return *v;
  return kind_error(kind(), "bool");
}

Result<ByteSpan> AbiValue::as_fixed_bytes() const {
  if (const auto* v = std::get_if<AbiFixedBytes>(&storage)) return v->span();
  return kind_error(kind(), "bytesN");
}

Result<Hash32> AbiValue::as_bytes32() const {
  const auto* v = std::get_if<AbiFixedBytes>(&storage);
  if (v == nullptr || v->size != 32) return kind_error(kind(), "bytes32");
  return Hash32::from(v->bytes);
}

Result<ByteSpan> AbiValue::as_bytes() const {
  if (const auto* v = std::get_if<Bytes>(&storage)) return ByteSpan(*v);
  return kind_error(kind(), "bytes");
}

Result<std::string_view> AbiValue::as_string() const {
  if (const auto* v = std::get_if<std::string>(&storage)) return std::string_view(*v);
  return kind_error(kind(), "string");
}

Result<std::span<const AbiValue>> AbiValue::as_array() const {
  if (const auto* v = std::get_if<std::vector<AbiValue>>(&storage)) {
    return std::span<const AbiValue>(*v);
  }
  return kind_error(kind(), "array");
}

Result<Hash32> AbiValue::as_topic_hash() const {
  if (const auto* v = std::get_if<AbiTopicHash>(&storage)) return v->hash;
  return kind_error(kind(), "topic hash");
}

}  // namespace csd
