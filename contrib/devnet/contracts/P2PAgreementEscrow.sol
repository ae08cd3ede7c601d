// SPDX-License-Identifier: UNLICENSED
// P2PAgreementEscrow: a user locks TST for a P2P agreement until a time.
// release() after lockedUntil returns everything; terminateEarly() before it
// returns the amount minus a 10 % penalty (kept by the contract).
pragma solidity ^0.8.20;

import "./IERC20.sol";

contract P2PAgreementEscrow {
    uint256 public constant PENALTY_BPS = 1000;  // 10 %

    struct Lock {
        address user;
        uint256 amount;
        uint64 lockedUntil;
        bool open;
    }

    IERC20 public immutable token;
    mapping(bytes32 => Lock) public locks;
    mapping(address => uint256) public nonces;

    // SPEC 3.1: exactly these signatures.
    event TSTLocked(bytes32 indexed lockId, address indexed user, uint256 amount, uint64 lockedUntil, string agreementId);
    event TSTReleased(bytes32 indexed lockId, address indexed user, uint256 amount);
    event LockTerminatedEarly(bytes32 indexed lockId, address indexed user, uint256 returned, uint256 penalty);

    error ZeroAmount();
    error UntilInPast(uint64 lockedUntil, uint256 nowTs);
    error NotOpen(bytes32 lockId);
    error NotLockOwner(bytes32 lockId);
    error StillLocked(uint64 lockedUntil, uint256 nowTs);
    error AlreadyUnlockable(uint64 lockedUntil, uint256 nowTs);
    error TransferFailed();

    constructor(IERC20 token_) {
        token = token_;
    }

    function lock(uint256 amount, uint64 lockedUntil, string calldata agreementId) external returns (bytes32 lockId) {
        if (amount == 0) revert ZeroAmount();
        if (lockedUntil <= block.timestamp) revert UntilInPast(lockedUntil, block.timestamp);
        lockId = keccak256(abi.encode(msg.sender, nonces[msg.sender]++));
        locks[lockId] = Lock(msg.sender, amount, lockedUntil, true);
        if (!token.transferFrom(msg.sender, address(this), amount)) revert TransferFailed();
        emit TSTLocked(lockId, msg.sender, amount, lockedUntil, agreementId);
    }

    // Allowed from lockedUntil on (block.timestamp >= lockedUntil).
    function release(bytes32 lockId) external {
        Lock storage l = _ownOpen(lockId);
        if (block.timestamp < l.lockedUntil) revert StillLocked(l.lockedUntil, block.timestamp);
        l.open = false;
        uint256 amount = l.amount;
        if (!token.transfer(msg.sender, amount)) revert TransferFailed();
        emit TSTReleased(lockId, msg.sender, amount);
    }

    // Only before lockedUntil; the penalty stays in the escrow.
    function terminateEarly(bytes32 lockId) external {
        Lock storage l = _ownOpen(lockId);
        if (block.timestamp >= l.lockedUntil) revert AlreadyUnlockable(l.lockedUntil, block.timestamp);
        l.open = false;
        uint256 penalty = (l.amount * PENALTY_BPS) / 10_000;
        uint256 returned = l.amount - penalty;
        if (!token.transfer(msg.sender, returned)) revert TransferFailed();
        emit LockTerminatedEarly(lockId, msg.sender, returned, penalty);
    }

    function _ownOpen(bytes32 lockId) private view returns (Lock storage l) {
        l = locks[lockId];
        if (!l.open) revert NotOpen(lockId);
        if (l.user != msg.sender) revert NotLockOwner(lockId);
    }
}
