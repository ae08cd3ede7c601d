#include "decoders/anchor.hpp"

#include <algorithm>

#include "decoders/sha256.hpp"

namespace csd {

AnchorDiscriminator anchor_account_discriminator(std::string_view account_name) noexcept {
  Sha256 hasher;
  hasher.update(std::string_view("account:"));
  hasher.update(account_name);
  const Hash32 digest = hasher.finalize();
  AnchorDiscriminator out;
  std::copy_n(digest.bytes.begin(), out.size(), out.begin());
  return out;
}

}  // namespace csd
