// SPDX-License-Identifier: UNLICENSED
// AccessTierStaking: stake 5 / 25 / 100 TST for 30 days to hold access tier
// 1 / 2 / 3 (SPEC 3.1 tier table). unstake() after expiry; emergencyUnstake()
// before it (no penalty: the whole stake is returned).
pragma solidity ^0.8.20;

import "./IERC20.sol";

contract AccessTierStaking {
    uint64 public constant STAKE_DURATION = 30 days;

    struct Stake {
        address user;
        uint8 tier;
        uint256 amount;
        uint64 expiresAt;
        bool open;
    }

    IERC20 public immutable token;
    mapping(bytes32 => Stake) public stakes;
    mapping(address => uint256) public nonces;

    // SPEC 3.1: exactly these signatures.
    event TierStaked(bytes32 indexed stakeId, address indexed user, uint8 tier, uint256 amount, uint64 expiresAt);
    event TierUnstaked(bytes32 indexed stakeId, address indexed user, uint256 amount, bool emergency);

    error BadTier(uint8 tier);
    error NotOpen(bytes32 stakeId);
    error NotStakeOwner(bytes32 stakeId);
    error NotExpired(uint64 expiresAt, uint256 nowTs);
    error AlreadyExpired(uint64 expiresAt, uint256 nowTs);
    error TransferFailed();

    constructor(IERC20 token_) {
        token = token_;
    }

    function tierAmount(uint8 tier) public pure returns (uint256) {
        if (tier == 1) return 5 ether;  // 5 TST (18 decimals)
        if (tier == 2) return 25 ether;
        if (tier == 3) return 100 ether;
        revert BadTier(tier);
    }

    function stake(uint8 tier) external returns (bytes32 stakeId) {
        uint256 amount = tierAmount(tier);
        uint64 expiresAt = uint64(block.timestamp) + STAKE_DURATION;
        stakeId = keccak256(abi.encode(msg.sender, nonces[msg.sender]++));
        stakes[stakeId] = Stake(msg.sender, tier, amount, expiresAt, true);
        if (!token.transferFrom(msg.sender, address(this), amount)) revert TransferFailed();
        emit TierStaked(stakeId, msg.sender, tier, amount, expiresAt);
    }

    // From expiresAt on.
    function unstake(bytes32 stakeId) external {
        Stake storage s = _ownOpen(stakeId);
        if (block.timestamp < s.expiresAt) revert NotExpired(s.expiresAt, block.timestamp);
        _close(stakeId, s, false);
    }

    // Only before expiresAt.
    function emergencyUnstake(bytes32 stakeId) external {
        Stake storage s = _ownOpen(stakeId);
        if (block.timestamp >= s.expiresAt) revert AlreadyExpired(s.expiresAt, block.timestamp);
        _close(stakeId, s, true);
    }

    function _close(bytes32 stakeId, Stake storage s, bool emergency) private {
        s.open = false;
        uint256 amount = s.amount;
        if (!token.transfer(msg.sender, amount)) revert TransferFailed();
        emit TierUnstaked(stakeId, msg.sender, amount, emergency);
    }

    function _ownOpen(bytes32 stakeId) private view returns (Stake storage s) {
        s = stakes[stakeId];
        if (!s.open) revert NotOpen(stakeId);
        if (s.user != msg.sender) revert NotStakeOwner(stakeId);
    }
}
