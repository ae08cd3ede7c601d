// SPDX-License-Identifier: UNLICENSED
// TST: the access token of SPEC 3.1 for the local devnet. A plain ERC-20
// (EIP-20) with 18 decimals, written here so the devnet has no external
// imports. The owner mints; batchTransfer moves many amounts in one
// transaction (one Transfer per entry) so tests can generate logs in bulk.
pragma solidity ^0.8.20;

contract TST {
    string public constant name = "TST";
    string public constant symbol = "TST";
    uint8 public constant decimals = 18;

    address public immutable owner;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    // SPEC 3.1: exactly this signature.
    event Transfer(address indexed from, address indexed to, uint256 value);
    // EIP-20; not decoded by chainsyncd (its topic0 is not in SPEC 3.1).
    event Approval(address indexed owner, address indexed spender, uint256 value);

    error NotOwner();
    error ZeroAddress();
    error InsufficientBalance(uint256 balance, uint256 needed);
    error InsufficientAllowance(uint256 allowance, uint256 needed);
    error LengthMismatch();

    constructor() {
        owner = msg.sender;
    }

    function mint(address to, uint256 amount) external {
        if (msg.sender != owner) revert NotOwner();
        if (to == address(0)) revert ZeroAddress();
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _move(msg.sender, to, amount);
        return true;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            if (allowed < amount) revert InsufficientAllowance(allowed, amount);
            unchecked {
                allowance[from][msg.sender] = allowed - amount;
            }
        }
        _move(from, to, amount);
        return true;
    }

    // One Transfer per entry, in order (bulk log generation for tests).
    function batchTransfer(address[] calldata to, uint256[] calldata amounts) external {
        if (to.length != amounts.length) revert LengthMismatch();
        for (uint256 i = 0; i < to.length; ++i) {
            _move(msg.sender, to[i], amounts[i]);
        }
    }

    function _move(address from, address to, uint256 amount) private {
        if (to == address(0)) revert ZeroAddress();
        uint256 balance = balanceOf[from];
        if (balance < amount) revert InsufficientBalance(balance, amount);
        unchecked {
            balanceOf[from] = balance - amount;
        }
        // A transfer to self leaves the balance unchanged and still emits.
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}
