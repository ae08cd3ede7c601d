// SPDX-License-Identifier: UNLICENSED
// The part of EIP-20 the devnet contracts call on TST.
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}
