#include "decoders/abi_type.hpp"

#include <string>

namespace csd {
namespace {

constexpr std::size_t kWord = 32;

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

}  // namespace csd
