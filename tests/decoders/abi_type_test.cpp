#include "decoders/abi_type.hpp"

#include <string>

#include <gtest/gtest.h>

#include "decoders/abi_signature.hpp"

namespace csd {
namespace {

AbiType parse_ok(std::string_view text) {
  auto type = parse_abi_type(text);
  EXPECT_TRUE(type.has_value()) << text << ": " << (type ? "" : type.error().message);
  return type ? *type : AbiType{};
}

std::string parse_error(std::string_view text) {
  auto type = parse_abi_type(text);
  EXPECT_FALSE(type.has_value()) << text << " parsed as " << (type ? type->canonical() : "");
  if (type) return {};
  EXPECT_EQ(type.error().code, ErrorCode::kInvalidArgument);
  return type.error().message;
}

// ABI spec, "Types": uint<M>/int<M> for 0 < M <= 256, M % 8 == 0.
TEST(AbiType, EveryIntegerWidth) {
  for (unsigned bits = 8; bits <= 256; bits += 8) {
    const AbiType u = parse_ok("uint" + std::to_string(bits));
    EXPECT_EQ(u.base, AbiBaseKind::kUint);
    EXPECT_EQ(u.width, bits);
    EXPECT_EQ(u.canonical(), "uint" + std::to_string(bits));
    const AbiType s = parse_ok("int" + std::to_string(bits));
    EXPECT_EQ(s.base, AbiBaseKind::kInt);
    EXPECT_EQ(s.width, bits);
    EXPECT_EQ(s.head_size(), 32u);
    EXPECT_FALSE(s.is_dynamic());
  }
}

// One past each integer bound, and widths that are not multiples of 8.
TEST(AbiType, RejectsBadIntegerWidths) {
  for (const char* text : {"uint0", "uint7", "uint9", "uint257", "uint264", "uint08", "int0", "int4",
                           "int255", "int264", "uint-8", "uint8x", "uint99999999999"}) {
    EXPECT_FALSE(parse_error(text).empty()) << text;
  }
  EXPECT_NE(parse_error("uint7").find("uintN needs N in 8..256"), std::string::npos);
  EXPECT_NE(parse_error("int12").find("intN needs N in 8..256"), std::string::npos);
}

// ABI spec: uint and int are synonyms of uint256 and int256; the canonical form uses the latter.
TEST(AbiType, UintIntAliases) {
  EXPECT_EQ(parse_ok("uint").canonical(), "uint256");
  EXPECT_EQ(parse_ok("int").canonical(), "int256");
  EXPECT_EQ(parse_ok("uint[]").canonical(), "uint256[]");
  EXPECT_EQ(parse_ok("uint"), parse_ok("uint256"));
}

// ABI spec: bytes<M> for 0 < M <= 32.
TEST(AbiType, FixedBytesBounds) {
  for (unsigned n = 1; n <= 32; ++n) {
    const AbiType type = parse_ok("bytes" + std::to_string(n));
    EXPECT_EQ(type.base, AbiBaseKind::kFixedBytes);
    EXPECT_EQ(type.width, n);
    EXPECT_FALSE(type.is_dynamic());
  }
  EXPECT_NE(parse_error("bytes0").find("bytesN needs N in 1..32"), std::string::npos);
  EXPECT_NE(parse_error("bytes33").find("bytesN needs N in 1..32"), std::string::npos);
  parse_error("bytes01");
}

TEST(AbiType, ElementaryNames) {
  EXPECT_EQ(parse_ok("address").base, AbiBaseKind::kAddress);
  EXPECT_EQ(parse_ok("bool").base, AbiBaseKind::kBool);
  EXPECT_EQ(parse_ok("string").base, AbiBaseKind::kString);
  EXPECT_EQ(parse_ok("bytes").base, AbiBaseKind::kBytes);
  EXPECT_TRUE(parse_ok("string").is_dynamic());
  EXPECT_TRUE(parse_ok("bytes").is_dynamic());
  EXPECT_FALSE(parse_ok("address").is_dynamic());
  EXPECT_EQ(parse_ok("  bool  ").canonical(), "bool");
}

TEST(AbiType, RejectsUnsupportedAndUnknownTypes) {
  EXPECT_NE(parse_error("(uint256,bool)").find("tuple types are not supported"), std::string::npos);
  EXPECT_NE(parse_error("tuple").find("tuple types are not supported"), std::string::npos);
  EXPECT_NE(parse_error("fixed128x18").find("fixed-point"), std::string::npos);
  EXPECT_NE(parse_error("ufixed").find("fixed-point"), std::string::npos);
  EXPECT_NE(parse_error("function").find("not supported"), std::string::npos);
  EXPECT_NE(parse_error("uint256x").find("unknown type"), std::string::npos);
  EXPECT_NE(parse_error("Address").find("unknown type"), std::string::npos);
  EXPECT_NE(parse_error("").find("expected a type name"), std::string::npos);
  EXPECT_NE(parse_error("uint8 x").find("unexpected text"), std::string::npos);
}

// Dimensions are stored left to right; the last one is the outermost array.
TEST(AbiType, ArrayDimensions) {
  const AbiType type = parse_ok("uint8[2][]");
  EXPECT_EQ(type.dims, (std::vector<std::uint32_t>{2, AbiType::kDynamicDim}));
  EXPECT_TRUE(type.is_array());
  EXPECT_TRUE(type.is_dynamic());
  EXPECT_FALSE(type.is_dynamic(1));  // uint8[2]
  EXPECT_EQ(type.head_size(1), 64u);
  EXPECT_EQ(type.head_size(), 32u);
  EXPECT_EQ(type.canonical(1), "uint8[2]");
  EXPECT_EQ(type.canonical(), "uint8[2][]");
  EXPECT_EQ(type.base_name(), "uint8");

  const AbiType strings = parse_ok("string[][3]");
  EXPECT_TRUE(strings.is_dynamic());
  EXPECT_TRUE(strings.is_dynamic(0));
  EXPECT_EQ(strings.canonical(), "string[][3]");

  // ABI spec example bar(bytes3[2]): a static array is encoded in place.
  const AbiType bytes3 = parse_ok("bytes3[2]");
  EXPECT_FALSE(bytes3.is_dynamic());
  EXPECT_EQ(bytes3.head_size(), 64u);
  EXPECT_EQ(parse_ok("uint256[2][3]").head_size(), 192u);
  EXPECT_EQ(parse_ok("uint8 [2] [ ]").canonical(), "uint8[2][]");
}

TEST(AbiType, RejectsBadDimensions) {
  EXPECT_NE(parse_error("uint8[0]").find("zero-length"), std::string::npos);
  EXPECT_NE(parse_error("uint8[02]").find("not a decimal number"), std::string::npos);
  EXPECT_NE(parse_error("uint8[x]").find("not a decimal number"), std::string::npos);
  EXPECT_NE(parse_error("uint8[-1]").find("not a decimal number"), std::string::npos);
  EXPECT_NE(parse_error("uint8[2").find("missing ']'"), std::string::npos);
  EXPECT_NE(parse_error("uint8]").find("unexpected text"), std::string::npos);
  parse_error("uint8[4294967296]");
}

// Nesting cap: kMaxDims dimensions parse, one more is rejected.
TEST(AbiType, NestingBound) {
  std::string text = "uint8";
  for (std::size_t i = 0; i < AbiType::kMaxDims; ++i) text += "[]";
  EXPECT_EQ(parse_ok(text).dims.size(), AbiType::kMaxDims);
  EXPECT_NE(parse_error(text + "[]").find("array dimensions"), std::string::npos);
}

// Static size cap: 2^24 bytes (2^19 words) is the largest in-place encoding.
TEST(AbiType, StaticSizeBound) {
  EXPECT_EQ(parse_ok("uint256[524288]").head_size(), AbiType::kMaxStaticSize);
  EXPECT_NE(parse_error("uint256[524289]").find("size limit"), std::string::npos);
  EXPECT_EQ(parse_ok("uint256[1024][512]").head_size(), AbiType::kMaxStaticSize);
  parse_error("uint256[1024][513]");
  // A dynamic element takes one head word, so string[524288] is the bound too.
  EXPECT_EQ(parse_ok("string[524288]").head_size(), 32u);
  parse_error("string[524289]");
  parse_error("uint256[4294967295][4294967295]");
}

}  // namespace
}  // namespace csd
