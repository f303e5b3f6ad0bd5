import Foundation
import RetryCore
import XCTest

/// The pacer's rules exist twice: `Pacer` in Swift (the file store) and the
/// Lua of `RedisScript.paceTake`/`.paceHold`. One table of scenarios runs
/// against both, and they must agree step by step: on every slot and on
/// the stored fields. The Lua runs in a real redis-server, with the
/// server's clock pinned to each step's time (the script's one `TIME` call
/// replaced by the step's value), so that the scenarios can say when.
final class PaceScenarioTests: XCTestCase {
    enum Step {
        /// Take a slot at `now` (ms), usable up to `latest` ms from now.
        case take(now: Int64, latest: Int64? = nil)
        /// A server asked at `now` for `delay` ms (a throttle: without
        /// `--rate` the learned rate is cut too).
        case hold(now: Int64, delay: Int64)
        /// A run succeeded at `now` (without `--rate` the learned rate rises).
        case succeed(now: Int64)
    }

    struct Scenario {
        let name: String
        /// `--rate`; nil: the learned rate in the store.
        let rate: PaceRate?
        /// The learned rate the store starts with (slots per second).
        var learnedRate: Double = 0
        let steps: [Step]
    }

    static let t0: Int64 = 1_795_579_925_120

    static let scenarios: [Scenario] = [
        Scenario(name: "a burst takes slots one interval apart", rate: PaceRate(count: 5, period: 1),
                 steps: [.take(now: t0), .take(now: t0), .take(now: t0 + 1), .take(now: t0 + 50)]),
        Scenario(name: "an idle pacer gives the slot at once", rate: PaceRate(count: 5, period: 1),
                 steps: [.take(now: t0), .take(now: t0 + 10_000)]),
        Scenario(name: "a slot past the limit is refused and left free", rate: PaceRate(count: 1, period: 1),
                 steps: [.take(now: t0), .take(now: t0, latest: 999), .take(now: t0, latest: 1000), .take(now: t0, latest: 0)]),
        Scenario(name: "a hold pushes the next slot and runs leave from it one apart", rate: PaceRate(count: 10, period: 1),
                 steps: [.take(now: t0), .hold(now: t0 + 5, delay: 2000), .take(now: t0 + 6), .take(now: t0 + 7),
                         .hold(now: t0 + 8, delay: 500), .take(now: t0 + 9)]),
        Scenario(name: "an hourly rate with an interval of 720 ms", rate: PaceRate(count: 5000, period: 3600),
                 steps: [.take(now: t0), .take(now: t0), .take(now: t0), .take(now: t0 + 3000)]),
        Scenario(name: "a rate that is no whole number of milliseconds", rate: PaceRate(count: 3, period: 1),
                 steps: [.take(now: t0), .take(now: t0), .take(now: t0), .take(now: t0)]),
        Scenario(name: "without --rate the learned rate spaces the slots", rate: nil, learnedRate: 4,
                 steps: [.take(now: t0), .take(now: t0), .hold(now: t0, delay: 1000), .take(now: t0)]),
        Scenario(name: "without any rate only the hold spaces the runs", rate: nil,
                 steps: [.take(now: t0), .take(now: t0), .hold(now: t0 + 1, delay: 300), .take(now: t0 + 2), .take(now: t0 + 2)]),
        Scenario(name: "no learned rate until the first throttle, then 0.7 of one per R", rate: nil,
                 steps: [.take(now: t0), .succeed(now: t0), .hold(now: t0 + 1, delay: 2000), .take(now: t0 + 2),
                         .take(now: t0 + 3), .take(now: t0 + 4)]),
        Scenario(name: "a throttle cuts the learned rate at most once per R", rate: nil, learnedRate: 10,
                 steps: [.hold(now: t0, delay: 5000), .hold(now: t0 + 4_999, delay: 5000), .hold(now: t0 + 5_001, delay: 5000),
                         .hold(now: t0 + 5_500, delay: 100), .take(now: t0 + 20_000), .take(now: t0 + 20_000)]),
        Scenario(name: "successes add back about one slot per second each second", rate: nil, learnedRate: 4,
                 steps: [.succeed(now: t0), .succeed(now: t0 + 250), .succeed(now: t0 + 500), .succeed(now: t0 + 750),
                         .take(now: t0 + 1000), .take(now: t0 + 1000)]),
        Scenario(name: "the learned rate stays between the floor and the ceiling", rate: nil, learnedRate: 0.02,
                 steps: [.hold(now: t0, delay: 1000), .hold(now: t0 + 2000, delay: 1000), .succeed(now: t0 + 3000),
                         .succeed(now: t0 + 3001)]),
        Scenario(name: "the learned rate tops out at the ceiling", rate: nil, learnedRate: 999.999,
                 steps: [.succeed(now: t0), .succeed(now: t0 + 1), .take(now: t0 + 2), .take(now: t0 + 2)]),
        Scenario(name: "with --rate nothing is learned", rate: PaceRate(count: 5, period: 1),
                 steps: [.hold(now: t0, delay: 1000), .succeed(now: t0 + 1), .take(now: t0 + 2), .take(now: t0 + 2)]),
    ]

    /// What one step came to: the slot (`at`/`past` and ms) or the hold.
    struct Outcome: Equatable {
        let answer: String
        let fields: [String: String]
    }

    func testSwiftAndLuaAgreeOnEveryScenario() throws {
        let server = try TestRedisServer()
        defer { server.stop() }
        var compared = 0
        for (index, scenario) in Self.scenarios.enumerated() {
            let swift = runSwift(scenario)
            let lua = try runLua(scenario, server: server, key: "scenario-\(index)")
            XCTAssertEqual(swift.count, scenario.steps.count)
            for (step, (mine, theirs)) in zip(scenario.steps, zip(swift, lua)) {
                XCTAssertEqual(mine, theirs, "\(scenario.name): \(step)")
                compared += 1
            }
        }
        XCTAssertEqual(compared, Self.scenarios.map(\.steps.count).reduce(0, +))
    }

    /// The Swift steps, with the state written and read back after each
    /// step as the file store does (to the millisecond).
    func runSwift(_ scenario: Scenario) -> [Outcome] {
        let pacer = Pacer(rate: scenario.rate)
        var state = PaceState()
        state.learnedRate = scenario.learnedRate
        return scenario.steps.map { step in
            let answer: String
            switch step {
            case .take(let now, let latest):
                let seconds = Double(now) / 1000
                switch pacer.take(&state, now: seconds, latest: latest.map { seconds + Double($0) / 1000 }) {
                case .at(let slot): answer = "at \(Int64((slot * 1000).rounded()))"
                case .pastLimit(let slot): answer = "past \(Int64((slot * 1000).rounded()))"
                }
            case .hold(let now, let delay):
                pacer.throttled(&state, now: Double(now) / 1000, delay: Double(delay) / 1000)
                answer = "hold \(Int64((state.hold * 1000).rounded()))"
            case .succeed:
                pacer.succeeded(&state)
                answer = "rate \(String(format: "%.3f", state.learnedRate))"
            }
            state = (try? PaceState.decode(state.encoded())) ?? PaceState()
            return Outcome(answer: answer, fields: Dictionary(uniqueKeysWithValues: state.fields.map { ($0.key, $0.value) }))
        }
    }

    /// The Lua steps in redis-server, its clock pinned to each step's time.
    func runLua(_ scenario: Scenario, server: TestRedisServer, key: String) throws -> [Outcome] {
        if scenario.learnedRate > 0 {
            _ = try server.command(["HSET", key, "rate", String(format: "%.3f", scenario.learnedRate)])
        }
        let interval = scenario.rate.map { String($0.interval * 1000) } ?? "0"
        let idle = String(RedisStoreLimits.idle.wholeMilliseconds)
        let learn = scenario.rate == nil ? "1" : "0"
        return try scenario.steps.map { step in
            let answer: String
            switch step {
            case .take(let now, let latest):
                let reply = try eval(RedisScript.paceTake, now: now, server: server, key: key,
                                     [interval, latest.map(String.init) ?? "-1", idle])
                guard case .array(let items?) = reply, items.count == 3, let kind = items[0].text, let slot = items[1].integer else {
                    throw XCTSkip("unexpected reply \(reply)")
                }
                answer = "\(kind) \(slot)"
            case .hold(let now, let delay):
                let reply = try eval(RedisScript.paceHold, now: now, server: server, key: key, [String(delay), idle, learn])
                answer = "hold \(reply.integer ?? -1)"
            case .succeed(let now):
                let reply = try eval(RedisScript.paceRecover, now: now, server: server, key: key, [idle])
                answer = "rate \(reply.text ?? "?")"
            }
            return Outcome(answer: answer, fields: try server.hash(key))
        }
    }

    func eval(_ script: RedisScript, now: Int64, server: TestRedisServer, key: String, _ arguments: [String]) throws -> RESPValue {
        let clock = "local t = redis.call('TIME')"
        XCTAssertTrue(script.text.contains(clock), "the script reads the server's clock once, as the test pins it")
        let pinned = script.text.replacingOccurrences(of: clock, with: "local t = {'\(now / 1000)', '\((now % 1000) * 1000)'}")
        return try server.command(["EVAL", pinned, "1", key] + arguments)
    }
}
