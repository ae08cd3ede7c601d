#include "daemon/reindex.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

#include <unistd.h>

#include "chains/sync/writer_thread.hpp"
#include "store/writer.hpp"

namespace csd::daemon {
namespace {

Status write_atomically(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path temporary = path.string() + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << text;
    if (!out) return make_error(ErrorCode::kIo, temporary.string() + ": cannot write");
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) return make_error(ErrorCode::kIo, path.string() + ": " + error.message());
  return {};
}

}  // namespace

std::filesystem::path reindex_request_path(const std::filesystem::path& database) {
  return database.string() + ".reindex-request";
}

std::filesystem::path reindex_result_path(const std::filesystem::path& database) {
  return database.string() + ".reindex-result";
}

Status write_reindex_request(const std::filesystem::path& database, const ReindexRequest& request) {
  return write_atomically(reindex_request_path(database),
                          std::string(chain_name(request.chain)) + " " + std::to_string(request.from) + "\n");
}

Result<std::optional<ReindexRequest>> take_reindex_request(const std::filesystem::path& database) {
  const std::filesystem::path path = reindex_request_path(database);
  std::ifstream in(path);
  if (!in) return std::optional<ReindexRequest>{};
  std::string chain_text;
  std::uint64_t from = 0;
  in >> chain_text >> from;
  const bool parsed = static_cast<bool>(in);
  in.close();
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
  const auto chain = parse_chain_name(chain_text);
  if (!parsed || !chain) {
    return make_error(ErrorCode::kInvalidArgument, path.string() + ": not a reindex request");
  }
  return std::optional<ReindexRequest>{ReindexRequest{*chain, from}};
}

void write_reindex_result(const std::filesystem::path& database, const std::string& line) {
  (void)write_atomically(reindex_result_path(database), line + "\n");
}

Result<std::string> perform_reindex(StoreWriterThread& writer, const ReindexRequest& request,
                                    std::uint64_t start_block) {
  const std::string name(chain_name(request.chain));
  const auto started = std::chrono::steady_clock::now();
  auto checkpoint = writer.run([chain = request.chain](Writer& w) { return w.checkpoint(chain); }).get();
  if (!checkpoint) return checkpoint.error();
  const auto elapsed = [&] {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - started)
                              .count()) +
           " ms";
  };
  if (!*checkpoint || (*checkpoint)->height < request.from) {
    return name + ": nothing indexed at or above block " + std::to_string(request.from) + "; nothing to do";
  }
  const std::uint64_t top = (*checkpoint)->height;
  const std::uint64_t below = request.from == 0 ? 0 : request.from - 1;
  if (request.from >= start_block) {
    // The raw inputs of every block from `from` up are stored: no node needed.
    auto rebuilt = writer.run([&](Writer& w) { return w.rederive(request.chain, below); }).get();
    if (!rebuilt) return rebuilt.error();
    return "re-derived " + name + " blocks " + std::to_string(request.from) + ".." + std::to_string(top) +
           " from stored raw data (no RPC) in " + elapsed();
  }
  auto rolled = writer.run([&](Writer& w) { return w.rollback(request.chain, below); }).get();
  if (!rolled) return rolled.error();
  return "rolled " + name + " back to block " + std::to_string(below) + " (below start_block " +
         std::to_string(start_block) + ", nothing stored there); the sync fetches blocks " +
         std::to_string(request.from) + ".." + std::to_string(top) + " again (" + elapsed() + ")";
}

}  // namespace csd::daemon
