/// A token bucket shared by every run that names the same file, as the AWS
/// SDKs' retry quota: a retry costs 5 tokens (10 after a timeout), a success
/// at the first attempt refunds 1, a success after retries refunds the last
/// retry's cost; an empty bucket means no retry. First attempts never pay.
package struct RetryQuota: Equatable, Sendable {
    package static let retryCost = 5
    package static let timeoutRetryCost = 10
    package static let firstSuccessRefund = 1

    package var size: Int

    package init(size: Int = 500) {
        self.size = size
    }

    package func cost(afterTimeout: Bool) -> Int {
        afterTimeout ? Self.timeoutRetryCost : Self.retryCost
    }

    /// How long an empty bucket takes to fill again by time alone: 10
    /// minutes, so `size / 600` tokens a second (500 tokens: one retry of
    /// 5 every 6 s). Without it a cron fleet that starts together and meets
    /// an outage empties the bucket, and only successes (which an outage
    /// has none of) would fill it: runs kept giving up long after the
    /// service was back.
    package static let refillSeconds = 600.0

    /// Adds the tokens time has earned since the last refill at wall-clock
    /// `now`, keeping the fraction of a token not yet earned. A clock that
    /// went back earns nothing.
    package func refill(_ state: inout QuotaState, now: Double) {
        guard state.refilledAt > 0, state.balance < size else {
            state.refilledAt = max(state.refilledAt, now)
            return
        }
        let perSecond = Double(size) / Self.refillSeconds
        let earned = Int(min(Double(size), max(0, (now - state.refilledAt) * perSecond)).rounded(.down))
        guard earned > 0 else { return }
        StateLimits.countOn(&state.tokensRefilled, by: min(earned, size - state.balance))
        state.balance = min(size, state.balance + earned)
        state.refilledAt = state.balance == size ? now : state.refilledAt + Double(earned) / perSecond
    }

    /// Takes `cost` tokens if the bucket holds them; says whether it did.
    package func take(_ cost: Int, from state: inout QuotaState) -> Bool {
        state.balance = min(state.balance, size)
        guard state.balance >= cost else {
            StateLimits.countOn(&state.retriesRefused)
            return false
        }
        state.balance -= cost
        StateLimits.countOn(&state.retriesTaken)
        return true
    }

    /// Refunds after a successful run; `lastRetryCost` is nil when the first
    /// attempt succeeded.
    package func refund(_ state: inout QuotaState, lastRetryCost: Int?) {
        let refunded = min(size, state.balance + (lastRetryCost ?? Self.firstSuccessRefund)) - state.balance
        state.balance += max(0, refunded)
        StateLimits.countOn(&state.tokensRefunded, by: max(0, refunded))
    }
}
