@testable import RetryCore

/// N runs of `retry --http` against a simulated rate-limited server, in
/// simulated time, deciding with retry's own core: `RetryDecision.after`
/// (backoff, jitter, Retry-After and its spread, from a configuration
/// parsed from real options) and, with a pace, `Pacer.take` and
/// `Pacer.hold` on one shared `PaceState`, with the runner's look at the
/// hold on waking. The server is a token bucket: `rate` tokens a second,
/// at most `burst` kept; a request without a token gets 429 with
/// `Retry-After: R`; during an outage every request gets 503 with it.
/// Nothing sleeps; the counts depend only on the seed.
struct FleetSimulation {
    enum Design: String, CaseIterable {
        /// Each run obeys its own Retry-After exactly (retry before issue 21).
        case exactRetryAfter = "each obeys its own Retry-After exactly"
        /// Each run waits its Retry-After plus a spread of up to R.
        case local = "own Retry-After + a random spread up to R (no store)"
        /// `--pace` at 0.9 C with the shared hold.
        case pacer = "--pace, --rate 0.9 C, shared hold"
        /// `--pace` without `--rate`: the rate learned from throttles.
        case learned = "--pace, learned rate, shared hold"
    }

    struct Cell {
        var clients: Int
        var rate: Double
        var burst: Double
        var retryAfter: Int
        var startSpread: Double
        var outage: Double = 0
    }

    struct Result {
        var requests = 0
        var rejected = 0
        /// Most requests the server saw in one second.
        var peak = 0
        /// When the last run was served, seconds from the first start.
        var lastServed = 0.0
        var failedRuns = 0
    }

    let design: Design
    let cell: Cell

    /// The options the runs are given.
    var options: [String] {
        var words = ["--http", "--forever", "-b", "1s", "-c", "60s"]
        switch design {
        case .exactRetryAfter:
            // A pace named but never used takes the spread away: the exact
            // wait of before, from the same decision code.
            words += ["--pace", "unused"]
        case .local:
            break
        case .pacer:
            let perMinute = max(1, Int((cell.rate * 0.9 * 60).rounded(.down)))
            words += ["--pace", "sim", "--rate", "\(perMinute)/m"]
        case .learned:
            words += ["--pace", "sim"]
        }
        return words + ["curl"]
    }

    func run(seed: UInt64) throws -> Result {
        guard case .run(let configuration) = try CommandLineParser.parse(options) else { preconditionFailure() }
        let pacer = design == .pacer || design == .learned ? configuration.sharedState.pacer : nil
        var pace = PaceState()
        var queue = EventQueue()
        var clients: [Client] = []
        var starts = SplitMix64(seed: seed)
        for index in 0..<cell.clients {
            clients.append(Client(random: SplitMix64(seed: seed &* 0x9E37_79B9 &+ UInt64(index) &+ 1)))
            queue.push(cell.startSpread * starts.nextUnit(), index, .ready)
        }
        var tokens = cell.burst, refilled = 0.0
        var result = Result()
        var perSecond: [Int: Int] = [:]
        let epoch = 1_800_000_000.0
        var events = 0
        while let (now, index, kind) = queue.pop() {
            events += 1
            precondition(events < 10_000_000, "the simulation does not end")
            switch kind {
            case .ready:
                // Before an attempt: a slot from the pace, or at once.
                guard let pacer else {
                    queue.push(now, index, .attempt)
                    continue
                }
                guard case .at(let slot) = pacer.take(&pace, now: now) else { preconditionFailure() }
                queue.push(slot, index, .wake)
            case .wake:
                // On waking for its slot, the run looks at the hold again.
                if pace.hold > now, clients[index].takes < Runner.slotTakes {
                    clients[index].takes += 1
                    queue.push(now, index, .ready)
                } else {
                    clients[index].takes = 0
                    queue.push(now, index, .attempt)
                }
            case .attempt:
                result.requests += 1
                perSecond[Int(now.rounded(.down)), default: 0] += 1
                tokens = min(cell.burst, tokens + (now - refilled) * cell.rate)
                refilled = now
                let code: Int
                if now < cell.outage {
                    code = 503
                } else if tokens >= 1 {
                    tokens -= 1
                    code = 200
                } else {
                    code = 429
                }
                if code == 200 {
                    result.lastServed = max(result.lastServed, now)
                    pacer?.succeeded(&pace)
                    continue
                }
                result.rejected += 1
                if let pacer { pacer.throttled(&pace, now: now, delay: Double(cell.retryAfter)) }
                var client = clients[index]
                client.attempts += 1
                let decision = RetryDecision.after(
                    attempt: client.attempts, .flagged(.exited(0), .http(code)), retryAfter: String(cell.retryAfter),
                    configuration: configuration, previousDelay: &client.previousDelay,
                    now: .clampedSeconds(now), budgetEnd: nil, wallNow: epoch + now, random: &client.random)
                clients[index] = client
                guard case .retry(let delay, _) = decision.next else {
                    result.failedRuns += 1
                    continue
                }
                queue.push(now + delay.seconds, index, .ready)
            }
        }
        result.peak = perSecond.values.max() ?? 0
        return result
    }

    struct Client {
        var random: SplitMix64
        var attempts = 0
        var previousDelay: Duration?
        var takes = 0
    }

    enum Kind { case ready, wake, attempt }

    /// A binary min-heap of events by time, then by order of insertion.
    struct EventQueue {
        private var heap: [(time: Double, order: Int, client: Int, kind: Kind)] = []
        private var order = 0

        mutating func push(_ time: Double, _ client: Int, _ kind: Kind) {
            order += 1
            heap.append((time, order, client, kind))
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard less(child, parent) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        }

        mutating func pop() -> (Double, Int, Kind)? {
            guard let top = heap.first else { return nil }
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                var parent = 0
                while true {
                    let left = 2 * parent + 1, right = left + 1
                    var smallest = parent
                    if left < heap.count, less(left, smallest) { smallest = left }
                    if right < heap.count, less(right, smallest) { smallest = right }
                    guard smallest != parent else { break }
                    heap.swapAt(parent, smallest)
                    parent = smallest
                }
            }
            return (top.time, top.client, top.kind)
        }

        private func less(_ a: Int, _ b: Int) -> Bool {
            heap[a].time < heap[b].time || (heap[a].time == heap[b].time && heap[a].order < heap[b].order)
        }
    }
}
