#include "decoders/abi.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "decoders/hex.hpp"

namespace csd {
namespace {

constexpr std::size_t kWord = 32;

std::string hex_word(std::span<const std::uint8_t, kWord> word) {
  return to_hex(word);
}

// Decodes the non-indexed parameters of one log. Failing member functions
// record the error and return false; decode_log turns that into a Result, so
// the success path builds no Error values.
class LogDecoder {
 public:
  LogDecoder(const EventSignature& signature, ByteSpan data) noexcept
      : signature_(signature),
        data_(data),
        // Work bound. A canonical encoding yields at most kMaxDims + 1 values
        // per 32-byte word (a chain of T[1]...[1] ends in one word), and each
        // string/bytes word counts once. Offsets may alias one tail many times
        // (abi.decode accepts that), so without this bound nested arrays could
        // make decoding exponential in the data size.
        budget_((data.size() / kWord + 1) * (AbiType::kMaxDims + 1)) {}

  void set_param(std::size_t index) noexcept {
    param_index_ = index;
    depth_ = 0;
  }

  // REQUIRES: the type is static and elementary (no dims, not string/bytes).
  bool decode_word(const AbiType& type, std::span<const std::uint8_t, kWord> word, AbiValue& out);
  // Decodes the value whose encoding starts at byte `pos` of the data (for a
  // dynamic type: where its offset points).
  bool decode_value(const AbiType& type, std::size_t dims, std::size_t pos, AbiValue& out);
  // Reads the offset in the head word at `head` and returns base + offset in `pos`.
  bool read_offset(std::size_t head, std::size_t base, std::size_t& pos);

  // REQUIRES: a member function returned false.
  [[nodiscard]] Error take_error() && { return std::move(*error_); }

 private:
  bool fail(ErrorCode code, const std::string& why);
  bool decode_dynamic_bytes(const AbiType& type, std::size_t pos, AbiValue& out);
  bool decode_array(const AbiType& type, std::size_t dims, std::size_t pos, AbiValue& out);
  bool charge(std::size_t units);
  [[nodiscard]] std::span<const std::uint8_t, kWord> word_at(std::size_t pos) const noexcept {
    return std::span<const std::uint8_t, kWord>(data_.data() + pos, kWord);
  }
  [[nodiscard]] std::string data_size_text() const { return std::to_string(data_.size()) + "-byte data"; }

  const EventSignature& signature_;
  ByteSpan data_;
  std::size_t budget_;
  std::size_t param_index_ = 0;
  std::array<std::size_t, AbiType::kMaxDims> path_{};  // array indices, outermost first
  std::size_t depth_ = 0;
  std::optional<Error> error_;
};

// "abi: TSTLocked.agreementId[2]: <why>"; unnamed parameters show as argN.
bool LogDecoder::fail(ErrorCode code, const std::string& why) {
  const EventParam& param = signature_.params()[param_index_];
  std::string where = "abi: " + signature_.name() + ".";
  where += param.name.empty() ? "arg" + std::to_string(param_index_) : param.name;
  for (std::size_t i = 0; i < depth_; ++i) where += "[" + std::to_string(path_[i]) + "]";
  error_ = make_error(code, where + ": " + why);
  return false;
}

bool LogDecoder::charge(std::size_t units) {
  if (units > budget_) {
    return fail(ErrorCode::kMalformed,
                "decoded size exceeds the bound for " + data_size_text() + " (aliased offsets?)");
  }
  budget_ -= units;
  return true;
}

bool LogDecoder::decode_word(const AbiType& type, std::span<const std::uint8_t, kWord> word, AbiValue& out) {
  const auto high_zero = [&](std::size_t count) {
    return std::all_of(word.begin(), word.begin() + static_cast<std::ptrdiff_t>(count),
                       [](std::uint8_t b) { return b == 0; });
  };
  switch (type.base) {
    case AbiBaseKind::kUint: {
      // ABI spec: uint<M> is left-padded with zero bytes.
      if (!high_zero(kWord - type.width / 8u)) {
        return fail(ErrorCode::kMalformed,
                    type.base_name() + " word " + hex_word(word) + " has non-zero high bits");
      }
      out.storage = U256::from_be_bytes(word);
      return true;
    }
    case AbiBaseKind::kInt: {
      // ABI spec: int<M> is sign-extended with 0xff (negative) or 0x00 bytes.
      const std::size_t pad = kWord - type.width / 8u;
      const std::uint8_t fill = (word[pad] & 0x80u) != 0 ? 0xff : 0x00;
      if (!std::all_of(word.begin(), word.begin() + static_cast<std::ptrdiff_t>(pad),
                       [fill](std::uint8_t b) { return b == fill; })) {
        return fail(ErrorCode::kMalformed,
                    type.base_name() + " word " + hex_word(word) + " is not a sign extension");
      }
      out.storage = I256::from_twos_complement(U256::from_be_bytes(word));
      return true;
    }
    case AbiBaseKind::kAddress: {
      if (!high_zero(12)) {
        return fail(ErrorCode::kMalformed, "address word " + hex_word(word) + " has non-zero high bytes");
      }
      out.storage = EvmAddress::from(word.subspan<12, 20>());
      return true;
    }
    case AbiBaseKind::kBool: {
      if (!high_zero(31) || word[31] > 1) {
        return fail(ErrorCode::kMalformed, "bool word " + hex_word(word) + " is not 0 or 1");
      }
      out.storage = word[31] == 1;
      return true;
    }
    case AbiBaseKind::kFixedBytes: {
      // ABI spec: bytes<M> is right-padded with zero bytes.
      AbiFixedBytes value;
      value.size = static_cast<std::uint8_t>(type.width);
      if (!std::all_of(word.begin() + type.width, word.end(), [](std::uint8_t b) { return b == 0; })) {
        return fail(ErrorCode::kMalformed,
                    type.base_name() + " word " + hex_word(word) + " has non-zero padding");
      }
      std::copy(word.begin(), word.begin() + type.width, value.bytes.begin());
      out.storage = value;
      return true;
    }
    case AbiBaseKind::kBytes:
    case AbiBaseKind::kString:
      break;
  }
  return fail(ErrorCode::kInternal, "dynamic type decoded as a word");
}

bool LogDecoder::read_offset(std::size_t head, std::size_t base, std::size_t& pos) {
  if (head > data_.size() || data_.size() - head < kWord) {
    return fail(ErrorCode::kMalformed,
                "offset word at byte " + std::to_string(head) + " past " + data_size_text());
  }
  const U256 offset = U256::from_be_bytes(word_at(head));
  // Every dynamic value starts with at least one word (a length or a head), so
  // the offset must leave room for it. Compared before any addition: an offset
  // such as 2^256-1 or 2^64-1 must not wrap.
  const std::size_t room = data_.size() - base;  // base <= size: callers only pass checked bases
  if (!offset.fits_u64() || room < kWord || offset.low64() > room - kWord) {
    std::string why = "offset " + to_hex_quantity(offset);
    if (base != 0) why += " from byte " + std::to_string(base);
    return fail(ErrorCode::kMalformed, why + " past " + data_size_text());
  }
  pos = base + static_cast<std::size_t>(offset.low64());
  return true;
}

bool LogDecoder::decode_value(const AbiType& type, std::size_t dims, std::size_t pos, AbiValue& out) {
  if (!charge(1)) return false;
  if (dims > 0) return decode_array(type, dims, pos, out);
  if (type.base == AbiBaseKind::kBytes || type.base == AbiBaseKind::kString) {
    return decode_dynamic_bytes(type, pos, out);
  }
  if (pos > data_.size() || data_.size() - pos < kWord) {
    return fail(ErrorCode::kMalformed, "word at byte " + std::to_string(pos) + " past " + data_size_text());
  }
  return decode_word(type, word_at(pos), out);
}

bool LogDecoder::decode_dynamic_bytes(const AbiType& type, std::size_t pos, AbiValue& out) {
  if (pos > data_.size() || data_.size() - pos < kWord) {
    return fail(ErrorCode::kMalformed,
                "length word at byte " + std::to_string(pos) + " past " + data_size_text());
  }
  const U256 length = U256::from_be_bytes(word_at(pos));
  const std::size_t start = pos + kWord;
  const std::size_t room = data_.size() - start;
  if (!length.fits_u64() || length.low64() > room) {
    return fail(ErrorCode::kMalformed, type.base_name() + " length " + to_hex_quantity(length) + " at byte " +
                                           std::to_string(pos) + " past " + data_size_text());
  }
  const auto size = static_cast<std::size_t>(length.low64());
  const std::size_t padded = (size + kWord - 1) / kWord * kWord;  // size <= room: no overflow
  if (padded > room) {
    return fail(ErrorCode::kMalformed, type.base_name() + " of " + std::to_string(size) + " bytes at byte " +
                                           std::to_string(pos) + ": padding past " + data_size_text());
  }
  const auto content = data_.subspan(start, size);
  const auto padding = data_.subspan(start + size, padded - size);
  if (!std::all_of(padding.begin(), padding.end(), [](std::uint8_t b) { return b == 0; })) {
    return fail(ErrorCode::kMalformed, type.base_name() + " of " + std::to_string(size) + " bytes at byte " +
                                           std::to_string(pos) + " has non-zero padding");
  }
  if (!charge(padded / kWord)) return false;
  if (type.base == AbiBaseKind::kString) {
    // UTF-8 is not validated: the raw bytes are kept as emitted.
    out.storage = std::string(content.begin(), content.end());
  } else {
    out.storage = Bytes(content.begin(), content.end());
  }
  return true;
}

// T[] is a length word followed by the encoding of T[length]; T[k] is the
// tuple (T, ..., T). Offsets inside are relative to the start of that tuple.
bool LogDecoder::decode_array(const AbiType& type, std::size_t dims, std::size_t pos, AbiValue& out) {
  const std::size_t element_dims = dims - 1;
  const std::size_t element_head = type.head_size(element_dims);
  const bool element_dynamic = type.is_dynamic(element_dims);
  std::size_t base = pos;
  std::size_t count = type.dims[element_dims];
  if (count == AbiType::kDynamicDim) {
    if (pos > data_.size() || data_.size() - pos < kWord) {
      return fail(ErrorCode::kMalformed,
                  "array length word at byte " + std::to_string(pos) + " past " + data_size_text());
    }
    const U256 length = U256::from_be_bytes(word_at(pos));
    base = pos + kWord;
    // Each element takes element_head bytes of head, so the length is checked
    // against the bytes left before anything is allocated.
    const std::size_t max_count = (data_.size() - base) / element_head;
    if (!length.fits_u64() || length.low64() > max_count) {
      return fail(ErrorCode::kMalformed, "array length " + to_hex_quantity(length) + " at byte " +
                                             std::to_string(pos) + " needs more than the " +
                                             std::to_string(data_.size() - base) + " bytes left");
    }
    count = static_cast<std::size_t>(length.low64());
  } else if (base > data_.size() || (data_.size() - base) / element_head < count) {
    return fail(ErrorCode::kMalformed, type.canonical(dims) + " at byte " + std::to_string(pos) + " needs " +
                                           std::to_string(count * element_head) + " bytes, past " +
                                           data_size_text());
  }
  // Each element charges itself; checking first bounds the allocation too.
  if (count > budget_) return charge(count);
  std::vector<AbiValue> items(count);
  for (std::size_t i = 0; i < count; ++i) {
    path_[depth_++] = i;
    const std::size_t head = base + i * element_head;  // < size: checked above
    std::size_t value_pos = head;
    if (element_dynamic && !read_offset(head, base, value_pos)) return false;
    if (!decode_value(type, element_dims, value_pos, items[i])) return false;
    --depth_;
  }
  out.storage = std::move(items);
  return true;
}

}  // namespace

const DecodedParam* DecodedLog::find(std::string_view name) const noexcept {
  for (const DecodedParam& param : params) {
    if (param.name == name) return &param;
  }
  return nullptr;
}

Result<const AbiValue*> DecodedLog::get(std::string_view name) const {
  if (const DecodedParam* param = find(name)) return &param->value;
  return make_error(ErrorCode::kNotFound, "abi: no parameter named '" + std::string(name) + "'");
}

Result<DecodedLog> decode_log(const EventSignature& signature, std::span<const Hash32> topics,
                              ByteSpan data) {
  const std::size_t want_topics = 1 + signature.indexed_count();
  if (topics.size() != want_topics) {
    return make_error(ErrorCode::kMalformed, "abi: " + signature.name() + ": expected " +
                                                 std::to_string(want_topics) + " topics (topic0 + " +
                                                 std::to_string(signature.indexed_count()) +
                                                 " indexed), got " + std::to_string(topics.size()));
  }
  if (topics[0] != signature.topic0()) {
    return make_error(ErrorCode::kInvalidArgument, "abi: " + signature.name() + ": topic0 " +
                                                       to_hex(topics[0].span()) + " is not keccak256(\"" +
                                                       signature.canonical() +
                                                       "\") = " + to_hex(signature.topic0().span()));
  }
  // A lower bound only: trailing bytes after the encoding are accepted, as
  // Solidity's abi.decode and ethers.js accept them.
  if (data.size() < signature.data_head_size()) {
    return make_error(ErrorCode::kMalformed, "abi: " + signature.name() + ": data is " +
                                                 std::to_string(data.size()) +
                                                 " bytes, the non-indexed parameters need at least " +
                                                 std::to_string(signature.data_head_size()));
  }
  LogDecoder decoder(signature, data);
  DecodedLog log;
  log.params.reserve(signature.params().size());
  std::size_t head = 0;
  std::size_t topic = 1;
  for (std::size_t i = 0; i < signature.params().size(); ++i) {
    const EventParam& param = signature.params()[i];
    decoder.set_param(i);
    DecodedParam& out = log.params.emplace_back();
    out.name = param.name;
    out.type = &param.type;
    out.indexed = param.indexed;
    bool ok = true;
    if (param.indexed) {
      // ABI spec "Events": arrays, string and bytes are stored as the keccak
      // hash of their encoding; other types as their ABI word.
      if (param.type.is_array() || param.type.is_dynamic()) {
        out.value.storage = AbiTopicHash{topics[topic]};
      } else {
        ok = decoder.decode_word(param.type, topics[topic].span(), out.value);
      }
      ++topic;
    } else {
      std::size_t pos = head;
      if (param.type.is_dynamic()) ok = decoder.read_offset(head, 0, pos);
      ok = ok && decoder.decode_value(param.type, param.type.dims.size(), pos, out.value);
      head += param.type.head_size();
    }
    if (!ok) return std::move(decoder).take_error();
  }
  return log;
}

}  // namespace csd
