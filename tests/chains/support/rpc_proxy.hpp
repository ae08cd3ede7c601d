// RpcProxy: tests/chains/support/rpc_fault_proxy.mjs running in front of a
// node, for the end-to-end tests that inject RPC faults, refuse block tags or
// count what reaches the node. Not thread-safe; one per test.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/chains/support/devnet.hpp"
#include "tests/support/process.hpp"

namespace csd::testing_support {

class RpcProxy {
 public:
  // `options`: the script's flags after --upstream/--port-file (e.g. {"--fault-rate", "20"}).
  // Its log and port file go in `scratch`.
  RpcProxy(const std::string& upstream, const std::filesystem::path& scratch,
           const std::vector<std::string>& options = {})
      : scratch_(scratch),
        port_file_(scratch / "proxy.port"),
        process_(argv(upstream, options), scratch / "proxy.log") {
    for (int i = 0; i < 600 && !std::filesystem::exists(port_file_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!std::filesystem::exists(port_file_)) {
      throw std::runtime_error("rpc_fault_proxy did not start:\n" + read_file(scratch / "proxy.log"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the port is written right after listen()
    url_ = "http://127.0.0.1:" + read_file(port_file_);
  }

  [[nodiscard]] const std::string& url() const { return url_; }

  // GET /__stats: {"forwarded", "faults", "range_refusals", "finalized_refusals"}.
  [[nodiscard]] nlohmann::json stats() const {
    const auto out = run_process(
        {"node", "-e", "fetch(process.argv[1] + '/__stats').then(r => r.text()).then(t => console.log(t))",
         url_},
        scratch_);
    return last_json_line(out.out);
  }

 private:
  std::vector<std::string> argv(const std::string& upstream, const std::vector<std::string>& options) const {
    std::vector<std::string> args{
        "node",        (source_dir() / "tests/chains/support/rpc_fault_proxy.mjs").string(),
        "--upstream",  upstream,
        "--port-file", port_file_.string()};
    args.insert(args.end(), options.begin(), options.end());
    return args;
  }

  std::filesystem::path scratch_;
  std::filesystem::path port_file_;
  ChildProcess process_;
  std::string url_;
};

}  // namespace csd::testing_support
