// SPDX-License-Identifier: UNLICENSED
// EntityComputeReserve: a user reserves compute for an entity type (1 risk,
// 2 strategy, 3 memory) by depositing TST, with a daily quota of units.
// consume() spends units, at most quotaPerDay per UTC day (SPEC 3.1 quota
// windows); releaseReservation() closes it and returns the deposit.
pragma solidity ^0.8.20;

import "./IERC20.sol";

contract EntityComputeReserve {
    struct Reservation {
        address user;
        uint8 entityType;
        uint32 quotaPerDay;
        uint64 reservedUntil;
        uint64 day;   // UTC day number of usedToday
        uint64 usedToday;
        uint256 amount;
        bool open;
    }

    IERC20 public immutable token;
    mapping(bytes32 => Reservation) public reservations;
    mapping(address => uint256) public nonces;

    // SPEC 3.1: exactly these signatures.
    event ComputeReserved(bytes32 indexed reservationId, address indexed user, uint8 entityType, uint256 amount, uint32 quotaPerDay, uint64 reservedUntil);
    event QuotaConsumed(bytes32 indexed reservationId, address indexed user, uint32 units);
    event ReservationReleased(bytes32 indexed reservationId, address indexed user);

    error BadEntityType(uint8 entityType);
    error ZeroValue();
    error NotOpen(bytes32 reservationId);
    error NotReservationOwner(bytes32 reservationId);
    error ReservationExpired(uint64 reservedUntil, uint256 nowTs);
    error QuotaExceeded(uint64 usedToday, uint32 units, uint32 quotaPerDay);
    error TransferFailed();

    constructor(IERC20 token_) {
        token = token_;
    }

    function reserve(uint8 entityType, uint256 amount, uint32 quotaPerDay, uint64 duration)
        external
        returns (bytes32 reservationId)
    {
        if (entityType < 1 || entityType > 3) revert BadEntityType(entityType);
        if (amount == 0 || quotaPerDay == 0 || duration == 0) revert ZeroValue();
        uint64 reservedUntil = uint64(block.timestamp) + duration;
        reservationId = keccak256(abi.encode(msg.sender, nonces[msg.sender]++));
        reservations[reservationId] =
            Reservation(msg.sender, entityType, quotaPerDay, reservedUntil, 0, 0, amount, true);
        if (!token.transferFrom(msg.sender, address(this), amount)) revert TransferFailed();
        emit ComputeReserved(reservationId, msg.sender, entityType, amount, quotaPerDay, reservedUntil);
    }

    // While active (block.timestamp < reservedUntil); at most quotaPerDay units per UTC day.
    function consume(bytes32 reservationId, uint32 units) external {
        Reservation storage r = _ownOpen(reservationId);
        if (units == 0) revert ZeroValue();
        if (block.timestamp >= r.reservedUntil) revert ReservationExpired(r.reservedUntil, block.timestamp);
        uint64 today = uint64(block.timestamp / 1 days);
        if (r.day != today) {
            r.day = today;
            r.usedToday = 0;
        }
        if (r.usedToday + units > r.quotaPerDay) revert QuotaExceeded(r.usedToday, units, r.quotaPerDay);
        r.usedToday += units;
        emit QuotaConsumed(reservationId, msg.sender, units);
    }

    // Any time while open; returns the whole deposit.
    function releaseReservation(bytes32 reservationId) external {
        Reservation storage r = _ownOpen(reservationId);
        r.open = false;
        if (!token.transfer(msg.sender, r.amount)) revert TransferFailed();
        emit ReservationReleased(reservationId, msg.sender);
    }

    function _ownOpen(bytes32 reservationId) private view returns (Reservation storage r) {
        r = reservations[reservationId];
        if (!r.open) revert NotOpen(reservationId);
        if (r.user != msg.sender) revert NotReservationOwner(reservationId);
    }
}
