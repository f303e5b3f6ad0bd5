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
