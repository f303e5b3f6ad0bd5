import Testing
@testable import RetryCore

@Suite struct OutputScannerTests {
    func scan(_ chunks: [(String, Int)], watch: OutputWatch) -> OutputReport {
        var scanner = OutputScanner(watch: watch)
        for (text, stream) in chunks {
            Array(text.utf8).withUnsafeBytes { scanner.feed($0, stream: stream) }
        }
        scanner.finish()
        return scanner.report
    }

    func watch(http: Bool = false, retryIf: String? = nil, stopIf: String? = nil) throws -> OutputWatch {
        var watch = OutputWatch()
        watch.http = http
        watch.retryIf = try retryIf.map { pattern throws(InvalidValue) in try OutputPattern.compile(pattern) }
        watch.stopIf = try stopIf.map { pattern throws(InvalidValue) in try OutputPattern.compile(pattern) }
        return watch
    }

    @Test func literalAndRegexPatternsMatchAcrossChunkBoundaries() throws {
        #expect(scan([("all is we", 0), ("ll\nthen ERR", 0), ("OR here\n", 0)], watch: try watch(retryIf: "ERROR")).retryPatternMatched)
        #expect(scan([("status: ", 1), ("busy", 1)], watch: try watch(retryIf: "^status: (busy|down)$")).retryPatternMatched,
                "the last line without a newline is scanned at the end")
        #expect(!scan([("fine\n", 0)], watch: try watch(retryIf: "ERROR")).retryPatternMatched)
        #expect(scan([("fatal: no such repo\n", 1)], watch: try watch(stopIf: "fatal:")).stopPatternMatched)
    }

    @Test func aVeryLongLineIsScannedInWindowsInBoundedMemory() throws {
        let long = String(repeating: "a", count: OutputScanner.window * 3) + "needle" + String(repeating: "b", count: 10)
        let chunks = stride(from: 0, to: long.utf8.count, by: 4096).map { start in
            (String(long.utf8.dropFirst(start).prefix(4096))!, 0)
        }
        #expect(scan(chunks, watch: try watch(retryIf: "needle")).retryPatternMatched)
    }

    @Test func theLastResponseOnEitherStreamDecides() throws {
        let report = scan([("HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n", 1), ("HTTP/1.1 503 Busy\r\nRetry-After: 7\r\n\r\n", 1),
                           ("body\n", 0)], watch: try watch(http: true))
        #expect(report.httpStatus == 503 && report.retryAfter == "7")
        let later = scan([("HTTP/1.1 503 Busy\r\n\r\n", 1), ("HTTP/1.1 503 Busy\r\n\r\n", 0), ("HTTP/1.1 200 OK\r\n\r\n", 1)],
                         watch: try watch(http: true))
        #expect(later.httpStatus == 200, "counted by arrival, even when a status repeats")
    }

    @Test func withoutHTTPNoResponseIsRead() throws {
        #expect(scan([("HTTP/1.1 503 Busy\n", 0)], watch: try watch(retryIf: "zzz")).httpStatus == nil)
    }

    @Test func badPatternsAreRefusedWithTheReason() {
        #expect(throws: InvalidValue("invalid regular expression: expected ')'")) { try OutputPattern.compile("(") }
        #expect(throws: InvalidValue("an empty pattern would match everything")) { try OutputPattern.compile("") }
        #expect((try? OutputPattern.compile("a.c")) != nil)
    }

    @Test func aCutInALongLineIsNotALineStart() throws {
        let long = String(repeating: "x", count: 70_000) + "b\n"
        let chunks = stride(from: 0, to: long.utf8.count, by: 8192).map { (String(long.utf8.dropFirst($0).prefix(8192))!, 0) }
        #expect(!scan(chunks, watch: try watch(retryIf: "^x{1,1100}b$")).retryPatternMatched)
        let body = String(repeating: "y", count: 70_000) + "HTTP/1.1 503 x\n"
        let parts = stride(from: 0, to: body.utf8.count, by: 8192).map { (String(body.utf8.dropFirst($0).prefix(8192))!, 0) }
        #expect(scan(parts, watch: try watch(http: true)).httpStatus == nil)
    }

    @Test func aRegexMatchesWithinOneLine() throws {
        #expect(!scan([("a\nb\n", 0)], watch: try watch(retryIf: "a\\sb")).retryPatternMatched)
        #expect(scan([("x a b\n", 0)], watch: try watch(retryIf: "a\\sb")).retryPatternMatched)
    }

    @Test func prefilteredRegexesMatchAcrossChunkAndLineBoundaries() throws {
        let busy = try watch(retryIf: "try again|busy")
        #expect(scan([("all fine\nplease try ag", 0), ("ain later\n", 0)], watch: busy).retryPatternMatched)
        #expect(scan([("b", 1), ("u", 1), ("sy", 1)], watch: busy).retryPatternMatched, "the last line, in pieces, without a newline")
        #expect(!scan([("try\nagain\n", 0), ("bu", 0), ("\nsy\n", 0)], watch: busy).retryPatternMatched)
        #expect(!scan([("try ag", 0), ("ain", 1)], watch: busy).retryPatternMatched, "the streams are apart")
        let error = try watch(retryIf: "(?i)error [0-9]+")
        #expect(scan([("ok\nfatal: ERR", 0), ("OR 4", 0), ("2\n", 0)], watch: error).retryPatternMatched)
        #expect(!scan([("error: none\n", 0), ("Error x\nerrors 1\n", 0)], watch: error).retryPatternMatched)
    }

    @Test func aPrefilteredRegexFindsAMatchPastTheWindow() throws {
        let long = String(repeating: "a", count: OutputScanner.window * 2) + " Error 503 " + String(repeating: "b", count: 10)
        let chunks = stride(from: 0, to: long.utf8.count, by: 4096).map { (String(long.utf8.dropFirst($0).prefix(4096))!, 0) }
        #expect(scan(chunks, watch: try watch(retryIf: "(?i)error [0-9]+")).retryPatternMatched)
        #expect(!scan(chunks, watch: try watch(retryIf: "(?i)error [0-9]+x")).retryPatternMatched)
    }

    @Test func aPlainPatternWithALineBreakStillMatchesAcrossReads() throws {
        let watch = try watch(retryIf: "a\nb")
        #expect(scan([("x a", 0), ("\nb\nmore\n", 0)], watch: watch).retryPatternMatched)
        #expect(!scan([("x a", 0), ("\nc\nb\n", 0)], watch: watch).retryPatternMatched)
    }

    @Test func aWaitingLineIsJoinedWithTheFirstLineOfTheNextRead() throws {
        let watch = try watch(http: true, retryIf: "try again|busy")
        let report = scan([("HTTP/1.1 50", 0), ("3 Busy\r\nRetry-After: 7\r\n\r\nplease try ag", 0), ("ain\n", 0)], watch: watch)
        #expect(report.retryPatternMatched && report.httpStatus == 503 && report.retryAfter == "7")
        #expect(!scan([("bu", 0), ("\nsy\nother\n", 0)], watch: watch).retryPatternMatched)
    }
}
