#include "chains/rpc/json_rpc.hpp"

#include <algorithm>

namespace csd {
namespace {

using simdjson::dom::element;

Error malformed(std::string_view method, std::string_view why) {
  return make_error(ErrorCode::kMalformed,
                    std::string(method) + ": malformed JSON-RPC answer: " + std::string(why));
}

std::string node_error_text(std::string_view method, const RpcErrorInfo& info) {
  return std::string(method) + ": node error " + std::to_string(info.code) + ": " + info.message;
}

Result<std::unique_ptr<simdjson::dom::parser>> parse_document(const std::string& body,
                                                              std::string_view method, element& root) {
  auto parser = std::make_unique<simdjson::dom::parser>();
  // Parses in place when the transport left SIMDJSON_PADDING spare capacity.
  if (const auto error = parser->parse(body).get(root); error != simdjson::SUCCESS) {
    return malformed(method, simdjson::error_message(error));
  }
  return parser;
}

// JSON-RPC 2.0 §5.1: {"code": integer, "message": string}.
Result<RpcErrorInfo> error_object(element value, std::string_view method) {
  simdjson::dom::object object;
  if (value.get(object) != simdjson::SUCCESS) return malformed(method, "\"error\" is not an object");
  RpcErrorInfo info;
  if (object["code"].get(info.code) != simdjson::SUCCESS)
    return malformed(method, "\"error.code\" is not an integer");
  std::string_view message;
  if (object["message"].get(message) == simdjson::SUCCESS) info.message = std::string(message);
  return info;
}

Status check_version(simdjson::dom::object object, std::string_view method) {
  element version;
  if (object["jsonrpc"].get(version) != simdjson::SUCCESS) return {};  // some nodes omit it
  std::string_view text;
  if (version.get(text) != simdjson::SUCCESS || text != "2.0")
    return malformed(method, "\"jsonrpc\" is not \"2.0\"");
  return {};
}

// The id of an answer: a number, or nullopt for null (JSON-RPC 2.0 §5: an
// error the server could not attribute).
Result<std::optional<std::uint64_t>> answer_id(simdjson::dom::object object, std::string_view method) {
  element id;
  if (object["id"].get(id) != simdjson::SUCCESS) return malformed(method, "no \"id\"");
  if (id.is_null()) return std::optional<std::uint64_t>{};
  std::uint64_t value = 0;
  if (id.get(value) == simdjson::SUCCESS) return std::optional<std::uint64_t>{value};
  // Some proxies echo ids as strings.
  std::string_view text;
  if (id.get(text) == simdjson::SUCCESS && !text.empty() && text.size() <= 19 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::optional<std::uint64_t>{std::stoull(std::string(text))};
  }
  return malformed(method, "\"id\" is neither a number nor null");
}

std::string escape_json(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (static_cast<unsigned char>(c) < 0x20) continue;  // method names are identifiers
    out.push_back(c);
  }
  return out;
}

void append_request(std::string& out, std::uint64_t id, std::string_view method, std::string_view params) {
  out += R"({"jsonrpc":"2.0","id":)";
  out += std::to_string(id);
  out += R"(,"method":")";
  out += escape_json(method);
  out += R"(","params":)";
  out += params.empty() ? std::string_view("[]") : params;
  out += '}';
}

}  // namespace

Result<simdjson::dom::element> JsonRpcBatchReply::at(std::size_t i) const {
  const Entry& entry = entries_.at(i);
  if (entry.error) return make_error(ErrorCode::kRpcError, node_error_text(entry.method, *entry.error));
  return entry.result;
}

const RpcErrorInfo* JsonRpcBatchReply::rpc_error(std::size_t i) const noexcept {
  if (i >= entries_.size() || !entries_[i].error) return nullptr;
  return &*entries_[i].error;
}

void JsonRpcBatchReply::append(JsonRpcBatchReply&& other) {
  for (auto& parser : other.parsers_) parsers_.push_back(std::move(parser));
  for (auto& entry : other.entries_) entries_.push_back(std::move(entry));
  other.parsers_.clear();
  other.entries_.clear();
}

Result<JsonRpcReply> parse_json_rpc_reply(std::string body, std::string_view method, std::uint64_t id,
                                          RpcErrorInfo* error_info) {
  element root;
  auto parser = parse_document(body, method, root);
  if (!parser) return parser.error();
  simdjson::dom::object object;
  if (root.get(object) != simdjson::SUCCESS) return malformed(method, "not a JSON object");
  if (auto version = check_version(object, method); !version) return version.error();
  auto answered = answer_id(object, method);
  if (!answered) return answered.error();
  element value;
  if (object["error"].get(value) == simdjson::SUCCESS && !value.is_null()) {
    if (*answered && **answered != id) return malformed(method, "answer to another request id");
    auto info = error_object(value, method);
    if (!info) return info.error();
    if (error_info != nullptr) *error_info = *info;
    return make_error(ErrorCode::kRpcError, node_error_text(method, *info));
  }
  if (!*answered || **answered != id) return malformed(method, "answer to another request id");
  if (object["result"].get(value) != simdjson::SUCCESS)
    return malformed(method, "neither \"result\" nor \"error\"");
  return JsonRpcReply(std::move(*parser), value);
}

Result<JsonRpcBatchReply> parse_json_rpc_batch(std::string body, std::span<const RpcCall> calls,
                                               std::uint64_t first_id) {
  constexpr std::string_view kWhat = "batch";
  element root;
  auto parser = parse_document(body, kWhat, root);
  if (!parser) return parser.error();
  simdjson::dom::array answers;
  if (root.get(answers) != simdjson::SUCCESS) {
    if (root.is_object())
      return make_error(ErrorCode::kUnsupported, "batch: the node answered a single object");
    return malformed(kWhat, "neither an array nor an object");
  }
  std::vector<std::optional<JsonRpcBatchReply::Entry>> slots(calls.size());
  std::size_t filled = 0;
  for (element answer : answers) {
    simdjson::dom::object object;
    if (answer.get(object) != simdjson::SUCCESS) return malformed(kWhat, "an entry is not an object");
    if (auto version = check_version(object, kWhat); !version) return version.error();
    auto answered = answer_id(object, kWhat);
    if (!answered) return answered.error();
    if (!*answered) {
      // One id-less error for the whole batch: the node does not do batches.
      if (answers.size() == 1 && calls.size() > 1) {
        return make_error(ErrorCode::kUnsupported, "batch: the node answered one id-less error");
      }
      return malformed(kWhat, "an entry has a null id");
    }
    const std::uint64_t id = **answered;
    if (id < first_id || id - first_id >= calls.size())
      return malformed(kWhat, "unknown id " + std::to_string(id));
    auto& slot = slots[id - first_id];
    if (slot) return malformed(kWhat, "id " + std::to_string(id) + " answered twice");
    const std::string& method = calls[id - first_id].method;
    element value;
    JsonRpcBatchReply::Entry entry{element{}, std::nullopt, method};
    if (object["error"].get(value) == simdjson::SUCCESS && !value.is_null()) {
      auto info = error_object(value, method);
      if (!info) return info.error();
      entry.error = std::move(*info);
    } else if (object["result"].get(value) == simdjson::SUCCESS) {
      entry.result = value;
    } else {
      return malformed(method, "neither \"result\" nor \"error\"");
    }
    slot = std::move(entry);
    ++filled;
  }
  if (filled != calls.size()) {
    return malformed(kWhat, std::to_string(calls.size() - filled) + " of " + std::to_string(calls.size()) +
                                " calls unanswered");
  }
  JsonRpcBatchReply reply;
  reply.keep(std::move(*parser));
  for (auto& slot : slots) reply.add(std::move(*slot));
  return reply;
}

JsonRpcClient::JsonRpcClient(HttpTransport& transport, std::size_t max_batch)
    : transport_(&transport), max_batch_(std::max<std::size_t>(1, max_batch)) {}

Result<JsonRpcReply> JsonRpcClient::call(std::string_view method, std::string_view params_json,
                                         std::stop_token stop) {
  const std::uint64_t id = next_id_++;
  std::string body;
  append_request(body, id, method, params_json);
  std::optional<JsonRpcReply> reply;
  RpcErrorInfo info;
  auto status = transport_->post_with(
      "", body,
      [&](std::string text) -> Status {
        auto parsed = parse_json_rpc_reply(std::move(text), method, id, &info);
        if (!parsed) return std::move(parsed).error();  // kMalformed: the transport retries
        reply.emplace(std::move(*parsed));
        return {};
      },
      std::move(stop));
  if (!status) {
    if (status.error().code == ErrorCode::kRpcError) last_rpc_error_ = info;
    return std::move(status).error();
  }
  last_rpc_error_.reset();
  return std::move(*reply);
}

Result<JsonRpcBatchReply> JsonRpcClient::batch(std::span<const RpcCall> calls, std::stop_token stop) {
  JsonRpcBatchReply out;
  for (std::size_t start = 0; start < calls.size(); start += max_batch_) {
    const auto chunk = calls.subspan(start, std::min(max_batch_, calls.size() - start));
    auto answered = batch_chunk(chunk, stop);
    if (!answered) return answered.error();
    out.append(std::move(*answered));
  }
  return out;
}

Result<JsonRpcBatchReply> JsonRpcClient::batch_chunk(std::span<const RpcCall> calls, std::stop_token stop) {
  if (!batches_supported_ || calls.size() == 1) return sequential(calls, stop);
  const std::uint64_t first_id = next_id_;
  next_id_ += calls.size();
  std::string body = "[";
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (i > 0) body += ',';
    append_request(body, first_id + i, calls[i].method, calls[i].params_json);
  }
  body += ']';
  std::optional<JsonRpcBatchReply> reply;
  bool rejected = false;
  auto status = transport_->post_with(
      "", body,
      [&](std::string text) -> Status {
        auto parsed = parse_json_rpc_batch(std::move(text), calls, first_id);
        if (parsed) {
          reply.emplace(std::move(*parsed));
          return {};
        }
        if (parsed.error().code != ErrorCode::kUnsupported) return std::move(parsed).error();
        rejected = true;
        return {};
      },
      stop);
  // An HTTP 4xx to a batch (400, 413) is also how some providers refuse one.
  if (!status && status.error().code == ErrorCode::kInvalidArgument) rejected = true;
  if (rejected) {
    batches_supported_ = false;
    return sequential(calls, stop);
  }
  if (!status) return std::move(status).error();
  return std::move(*reply);
}

Result<JsonRpcBatchReply> JsonRpcClient::sequential(std::span<const RpcCall> calls, std::stop_token stop) {
  JsonRpcBatchReply out;
  for (const RpcCall& rpc : calls) {
    auto reply = call(rpc.method, rpc.params_json, stop);
    if (reply) {
      out.add(JsonRpcBatchReply::Entry{reply->result(), std::nullopt, rpc.method});
      out.keep(std::move(reply->parser_));
    } else if (reply.error().code == ErrorCode::kRpcError && last_rpc_error_) {
      out.add(JsonRpcBatchReply::Entry{simdjson::dom::element{}, *last_rpc_error_, rpc.method});
    } else {
      return reply.error();
    }
  }
  return out;
}

}  // namespace csd
