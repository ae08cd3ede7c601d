// Anchor account discriminators: the first 8 bytes of every account an Anchor
// program owns are sha256("account:" + AccountName)[0..8], which tells one
// account type from another (SPEC 3.2: UserStake).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace csd {

using AnchorDiscriminator = std::array<std::uint8_t, 8>;

[[nodiscard]] AnchorDiscriminator anchor_account_discriminator(std::string_view account_name) noexcept;

}  // namespace csd
