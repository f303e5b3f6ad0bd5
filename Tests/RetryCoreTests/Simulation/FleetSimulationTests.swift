import Foundation
import Testing
@testable import RetryCore

/// The gates of issue 21 on `FleetSimulation`: counts, deterministic by
/// seed, so they are tests. `RETRY_FLEET_SIM_SEEDS` sets the seeds per
/// cell (default 5; `bench/fleet-sim` runs 50), and `RETRY_FLEET_SIM_OUT`
/// names a file to write the table of medians to.
@Suite struct FleetSimulationTests {
    static let serverRate = 20.0
    static let seeds = UInt64(ProcessInfo.processInfo.environment["RETRY_FLEET_SIM_SEEDS"] ?? "") ?? 5

    static var cells: [FleetSimulation.Cell] {
        var cells: [FleetSimulation.Cell] = []
        for clients in [10, 100, 1000] {
            for burst in [1.0, 20.0] {
                for retryAfter in [1, 5] {
                    for spread in [0.0, 1.0] {
                        cells.append(.init(clients: clients, rate: serverRate, burst: burst, retryAfter: retryAfter, startSpread: spread))
                    }
                }
            }
            for retryAfter in [1, 5] {
                cells.append(.init(clients: clients, rate: serverRate, burst: 20, retryAfter: retryAfter, startSpread: 0, outage: 30))
            }
        }
        return cells
    }

    /// With `--rate` at 0.9 C, on every seed: requests ≤ 1.02 N, rejected
    /// ≤ 1% (outage: ≤ 30/R + 1%), peak ≤ C, last served ≤ 1.15 N/C + R
    /// (+ the outage), no failed run.
    @Test func thePacerMeetsItsGatesOnEverySeed() throws {
        var table: [String] = []
        for cell in Self.cells {
            let n = Double(cell.clients)
            var results: [FleetSimulation.Result] = []
            for seed in 1...Self.seeds {
                let result = try FleetSimulation(design: .pacer, cell: cell).run(seed: seed)
                results.append(result)
                let name = "N=\(cell.clients) burst=\(Int(cell.burst)) R=\(cell.retryAfter) spread=\(Int(cell.startSpread)) outage=\(Int(cell.outage)) seed=\(seed)"
                let allowedRejected = (cell.outage > 0 ? cell.outage / Double(cell.retryAfter) : 0) + 0.01 * n
                #expect(Double(result.requests) <= 1.02 * n + allowedRejected - 0.01 * n, "\(name): \(result)")
                #expect(Double(result.rejected) <= allowedRejected, "\(name): \(result)")
                #expect(Double(result.peak) <= cell.rate, "\(name): \(result)")
                #expect(result.lastServed <= 1.15 * n / cell.rate + Double(cell.retryAfter) + cell.outage, "\(name): \(result)")
                #expect(result.failedRuns == 0, "\(name): \(result)")
            }
            table.append(Self.row(.pacer, cell, results))
        }
        Self.write(table, part: "pacer")
    }

    /// `--pace` without `--rate`, the rate learned from throttles: on
    /// every seed, requests ≤ 2 N (outage: + 30/R, the allowance of the
    /// `--rate` gate, for the probes a dead server gets) and no failed run.
    @Test func theLearnedRateMeetsItsGateOnEverySeed() throws {
        var table: [String] = []
        for cell in Self.cells {
            var results: [FleetSimulation.Result] = []
            for seed in 1...Self.seeds {
                let result = try FleetSimulation(design: .learned, cell: cell).run(seed: seed)
                results.append(result)
                let name = "N=\(cell.clients) burst=\(Int(cell.burst)) R=\(cell.retryAfter) spread=\(Int(cell.startSpread)) outage=\(Int(cell.outage)) seed=\(seed)"
                let outageProbes = cell.outage > 0 ? Int(cell.outage) / cell.retryAfter : 0
                #expect(result.requests <= 2 * cell.clients + outageProbes, "\(name): \(result)")
                #expect(result.failedRuns == 0, "\(name): \(result)")
            }
            table.append(Self.row(.learned, cell, results))
        }
        Self.write(table, part: "learned")
    }

    /// Without a store, Retry-After with its spread: at N = 1000, at most
    /// 40% of the requests of obeying Retry-After exactly (medians).
    @Test func theSpreadCutsTheRequestsOfExactRetryAfter() throws {
        var table: [String] = []
        // Obeying R exactly against a burst of 1 costs N²/2 requests: the
        // full grid is for bench/fleet-sim, the gate here at burst 20.
        for cell in Self.cells where cell.outage == 0 && (Self.seeds > 5 || (cell.clients == 1000 && cell.burst == 20)) {
            var medians: [FleetSimulation.Design: [FleetSimulation.Result]] = [:]
            for design in [FleetSimulation.Design.exactRetryAfter, .local] {
                // Exact waits from one start instant draw nothing: one seed
                // is all seeds (and at burst 1 it costs N²/2 requests).
                let seeds: ClosedRange<UInt64> = design == .exactRetryAfter && cell.startSpread == 0 ? 1...1 : 1...Self.seeds
                medians[design] = try seeds.map { try FleetSimulation(design: design, cell: cell).run(seed: $0) }
                table.append(Self.row(design, cell, medians[design]!))
            }
            if cell.clients == 1000 {
                let exact = Self.median(medians[.exactRetryAfter]!.map { Double($0.requests) })
                let local = Self.median(medians[.local]!.map { Double($0.requests) })
                #expect(local <= 0.4 * exact, "N=1000 burst=\(cell.burst) R=\(cell.retryAfter) spread=\(cell.startSpread): \(local) against \(exact)")
            }
        }
        Self.write(table, part: "local")
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static func row(_ design: FleetSimulation.Design, _ cell: FleetSimulation.Cell, _ results: [FleetSimulation.Result]) -> String {
        func m(_ values: [Double]) -> String { DecimalFormat.trimmed((median(values) * 10).rounded() / 10) }
        let n = Double(cell.clients)
        return "| \(design.rawValue) | \(cell.clients) | \(Int(cell.burst)) | \(cell.retryAfter) | \(Int(cell.startSpread)) | \(cell.outage > 0 ? "30 s" : "-") | "
            + "\(m(results.map { Double($0.requests) })) | \(m(results.map { Double($0.rejected) })) | \(results.map(\.peak).max() ?? 0) | "
            + "\(m(results.map { $0.lastServed })) | \(m(results.map { $0.lastServed / (n / cell.rate) })) | \(results.map(\.failedRuns).reduce(0, +)) |"
    }

    static func write(_ rows: [String], part: String) {
        guard let path = ProcessInfo.processInfo.environment["RETRY_FLEET_SIM_OUT"] else { return }
        let header = "| design | N | burst | R | start spread (s) | outage | requests | rejected | peak/s (max) | last served (s) | ÷ N/C | failed runs |\n|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|\n"
        try? (header + rows.joined(separator: "\n") + "\n").write(toFile: path + "." + part, atomically: true, encoding: .utf8)
    }
}
