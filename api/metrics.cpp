// Prometheus text exposition (format 0.0.4) and the HTTP server's metrics.
#include "api/metrics.hpp"

#include <stdexcept>

namespace csd {
namespace {

bool is_name_char(char c, bool first, bool allow_colon) noexcept {
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  const bool digit = c >= '0' && c <= '9';
  return alpha || (allow_colon && c == ':') || (!first && digit);
}

// Exposition format: metric names [a-zA-Z_:][a-zA-Z0-9_:]*, label names
// [a-zA-Z_][a-zA-Z0-9_]* (names starting "__" are reserved).
bool valid_name(std::string_view name, bool allow_colon) noexcept {
  if (name.empty()) return false;
  if (!allow_colon && name.starts_with("__")) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!is_name_char(name[i], i == 0, allow_colon)) return false;
  }
  return true;
}

// Label values escape backslash, double quote and line feed; HELP text
// escapes backslash and line feed (exposition format 0.0.4).
void append_escaped(std::string& out, std::string_view text, bool escape_quote) {
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && escape_quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

void append_labels(std::string& out, const MetricLabels& labels, std::string_view le) {
  if (labels.empty() && le.empty()) return;
  out += '{';
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!first) out += ',';
    first = false;
    out += name;
    out += "=\"";
    append_escaped(out, value, true);
    out += '"';
  }
  if (!le.empty()) {
    if (!first) out += ',';
    out += "le=\"";
    out += le;
    out += '"';
  }
  out += '}';
}

void check_labels(const MetricLabels& labels, bool histogram) {
  for (const auto& [name, value] : labels) {
    if (!valid_name(name, false)) throw std::logic_error("metrics: invalid label name '" + name + "'");
    if (histogram && name == "le") throw std::logic_error("metrics: label 'le' is reserved in histograms");
  }
}

std::string_view type_name(bool counter, bool gauge) noexcept {
  return counter ? "counter" : gauge ? "gauge" : "histogram";
}

}  // namespace

std::string microseconds_as_seconds(std::uint64_t us) {
  std::string text = std::to_string(us / 1'000'000);
  std::uint64_t fraction = us % 1'000'000;
  if (fraction == 0) return text;
  std::string digits = std::to_string(fraction);
  digits.insert(0, 6 - digits.size(), '0');
  while (digits.back() == '0') digits.pop_back();
  text += '.';
  text += digits;
  return text;
}

MetricsText::Family& MetricsText::family(std::string_view name, std::string_view help, Type type) {
  if (!valid_name(name, true))
    throw std::logic_error("metrics: invalid metric name '" + std::string(name) + "'");
  if (const auto it = index_.find(name); it != index_.end()) {
    Family& existing = families_[it->second];
    if (existing.type != type) {
      throw std::logic_error("metrics: family '" + std::string(name) + "' used with two types");
    }
    return existing;
  }
  index_.emplace(std::string(name), families_.size());
  families_.push_back(Family{std::string(name), std::string(help), type, {}});
  return families_.back();
}

void MetricsText::add_sample(std::string_view name, std::string_view help, Type type,
                             const MetricLabels& labels, std::string_view value) {
  check_labels(labels, false);
  Family& f = family(name, help, type);
  f.samples += name;
  append_labels(f.samples, labels, {});
  f.samples += ' ';
  f.samples += value;
  f.samples += '\n';
}

void MetricsText::counter(std::string_view name, std::string_view help, const MetricLabels& labels,
                          std::uint64_t value) {
  add_sample(name, help, Type::kCounter, labels, std::to_string(value));
}

void MetricsText::histogram(std::string_view name, std::string_view help, const MetricLabels& labels,
                            std::span<const std::uint64_t> bounds_us, std::span<const std::uint64_t> counts,
                            std::uint64_t sum_us) {
  check_labels(labels, true);
  if (counts.size() != bounds_us.size() + 1) throw std::logic_error("metrics: histogram counts/bounds size");
  for (std::size_t i = 1; i < bounds_us.size(); ++i) {
    if (bounds_us[i] <= bounds_us[i - 1]) throw std::logic_error("metrics: histogram bounds not increasing");
  }
  Family& f = family(name, help, Type::kHistogram);
  const std::string bucket_name = std::string(name) + "_bucket";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= bounds_us.size(); ++i) {
    cumulative += counts[i];
    f.samples += bucket_name;
    append_labels(f.samples, labels, i < bounds_us.size() ? microseconds_as_seconds(bounds_us[i]) : "+Inf");
    f.samples += ' ';
    f.samples += std::to_string(cumulative);
    f.samples += '\n';
  }
  f.samples += name;
  f.samples += "_sum";
  append_labels(f.samples, labels, {});
  f.samples += ' ';
  f.samples += microseconds_as_seconds(sum_us);
  f.samples += '\n';
  f.samples += name;
  f.samples += "_count";
  append_labels(f.samples, labels, {});
  f.samples += ' ';
  f.samples += std::to_string(cumulative);
  f.samples += '\n';
}

std::string MetricsText::take() {
  std::string out;
  for (const Family& f : families_) {
    out += "# HELP ";
    out += f.name;
    out += ' ';
    append_escaped(out, f.help, false);
    out += "\n# TYPE ";
    out += f.name;
    out += ' ';
    out += type_name(f.type == Type::kCounter, f.type == Type::kGauge);
    out += '\n';
    out += f.samples;
  }
  families_.clear();
  index_.clear();
  return out;
}

void HttpMetrics::record(std::string_view route, unsigned status, std::chrono::microseconds took) {
  const auto us = static_cast<std::uint64_t>(took.count() < 0 ? 0 : took.count());
  std::size_t bucket = 0;
  while (bucket < kBucketsUs.size() && us > kBucketsUs[bucket]) ++bucket;

  const std::lock_guard lock(mutex_);
  auto it = latency_.find(route);
  if (it == latency_.end()) {
    // Guard label cardinality: a router bug must not grow /metrics without bound.
    const std::string_view key = latency_.size() < kMaxRoutes ? route : std::string_view("other");
    it = latency_.try_emplace(std::string(key)).first;
  }
  RouteLatency& latency = it->second;
  ++latency.counts[bucket];
  latency.sum_us += us;
  ++requests_[{it->first, status}];
}

void HttpMetrics::connection_opened() noexcept {
  open_.fetch_add(1, std::memory_order_relaxed);
  accepted_.fetch_add(1, std::memory_order_relaxed);
}
void HttpMetrics::connection_closed() noexcept {
  open_.fetch_sub(1, std::memory_order_relaxed);
}
void HttpMetrics::connection_rejected() noexcept {
  rejected_.fetch_add(1, std::memory_order_relaxed);
}
void HttpMetrics::header_timeout() noexcept {
  header_timeouts_.fetch_add(1, std::memory_order_relaxed);
}
void HttpMetrics::idle_timeout() noexcept {
  idle_timeouts_.fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t HttpMetrics::requests(std::string_view route, unsigned status) const {
  const std::lock_guard lock(mutex_);
  const auto it = requests_.find({std::string(route), status});
  return it == requests_.end() ? 0 : it->second;
}

std::int64_t HttpMetrics::connections_open() const noexcept {
  return open_.load(std::memory_order_relaxed);
}

void HttpMetrics::write(MetricsText& out) const {
  {
    const std::lock_guard lock(mutex_);
    for (const auto& [key, count] : requests_) {
      out.counter("chainsyncd_http_requests_total", "HTTP requests answered, by route template and status.",
                  {{"route", key.first}, {"status", std::to_string(key.second)}}, count);
    }
    for (const auto& [route, latency] : latency_) {
      out.histogram("chainsyncd_http_request_duration_seconds",
                    "Time from a complete request head to the response handed to the socket.",
                    {{"route", route}}, kBucketsUs, latency.counts, latency.sum_us);
    }
  }
  out.gauge("chainsyncd_http_connections_open", "HTTP connections currently open.", {},
            open_.load(std::memory_order_relaxed));
  out.counter("chainsyncd_http_connections_accepted_total", "HTTP connections accepted and served.", {},
              accepted_.load(std::memory_order_relaxed));
  out.counter("chainsyncd_http_connections_rejected_total",
              "HTTP connections answered 503 and closed because max_connections was reached.", {},
              rejected_.load(std::memory_order_relaxed));
  out.counter("chainsyncd_http_timeouts_total", "HTTP connections closed by a timeout, by kind.",
              {{"kind", "header"}}, header_timeouts_.load(std::memory_order_relaxed));
  out.counter("chainsyncd_http_timeouts_total", "HTTP connections closed by a timeout, by kind.",
              {{"kind", "idle"}}, idle_timeouts_.load(std::memory_order_relaxed));
}

}  // namespace csd
