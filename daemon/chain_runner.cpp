#include "daemon/chain_runner.hpp"

#include <signal.h>

namespace csd::daemon {

void ChainRunner::start() {
  stop();
  thread_ = std::jthread([this](std::stop_token stop) {
    Status result = sync_->run(stop);
    if (stop.stop_requested()) return;  // asked to stop: not news for the owner
    {
      const std::lock_guard lock(mutex_);
      outcome_ = std::move(result);
    }
    pthread_kill(owner_, SIGUSR1);
  });
}

void ChainRunner::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

std::optional<Status> ChainRunner::take_outcome() {
  const std::lock_guard lock(mutex_);
  std::optional<Status> out = std::move(outcome_);
  outcome_.reset();
  return out;
}

}  // namespace csd::daemon
