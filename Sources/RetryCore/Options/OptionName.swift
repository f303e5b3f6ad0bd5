/// The name of every option, so that checks across options name them as
/// types, not as strings.
package enum OptionName: String, CaseIterable, Sendable {
    case attempts
    case forever
    case strategy
    case base
    case multiplier
    case cap
    case jitter
    case retryOn = "retry-on"
    case stopOn = "stop-on"
    case timeout
    case killAfter = "kill-after"
    case budget
    case stagger
    case beforeRetry = "before-retry"
    case onGiveUp = "on-give-up"
    case hookTimeout = "hook-timeout"
    case http
    case retryOnHTTP = "retry-on-http"
    case maxRetryAfter = "max-retry-after"
    case retryIfOutput = "retry-if-output"
    case stopIfOutput = "stop-if-output"
    case stdin
    case holdOutput = "hold-output"
    case holdLimit = "hold-limit"
    case breaker
    case breakerThreshold = "breaker-threshold"
    case breakerCooldown = "breaker-cooldown"
    case quota
    case quotaSize = "quota-size"
    case redisCA = "redis-ca"
    case pace
    case rate
    case showState = "show-state"
    case resetState = "reset-state"
    case seed
    case idempotencyKey = "idempotency-key"
    case dryRun = "dry-run"
    case quiet
    case verbose
    case logFormat = "log-format"
    case help
    case version
}
