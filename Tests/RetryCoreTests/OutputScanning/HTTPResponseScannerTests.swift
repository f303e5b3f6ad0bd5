import Testing
@testable import RetryCore

/// Output captured from curl 7.88.1 and GNU Wget 1.21 against Python's
/// http.server on 127.0.0.1, byte for byte ("\r" where the tool wrote one).
/// Every body is "Retry-After: 999\nbody text\n", which must never count.
enum CapturedOutput {
    /// `curl -sS -i http://127.0.0.1:18081/busy` (503, Retry-After: 120)
    static let curlInclude = """
        HTTP/1.1 503 Service Unavailable\r
        Server: BaseHTTP/0.6 Python/3.11.7\r
        Date: Tue, 24 Nov 2026 03:22:11 GMT\r
        Retry-After: 120\r
        Content-Length: 27\r
        \r
        Retry-After: 999
        body text

        """

    /// `curl -sS -D /dev/stderr http://127.0.0.1:18081/limit 2>&1` (429, a lowercase header with an HTTP-date)
    static let curlDumpHeader = """
        HTTP/1.1 429 Too Many Requests\r
        Server: BaseHTTP/0.6 Python/3.11.7\r
        Date: Tue, 24 Nov 2026 03:22:11 GMT\r
        retry-after: Wed, 21 Oct 2026 07:28:00 GMT\r
        Content-Length: 27\r
        \r
        Retry-After: 999
        body text

        """

    /// `curl -sS -v http://127.0.0.1:18081/busy 2>&1`
    static let curlVerbose = """
        *   Trying 127.0.0.1:18081...
        * Connected to 127.0.0.1 (127.0.0.1) port 18081 (#0)
        > GET /busy HTTP/1.1\r
        > Host: 127.0.0.1:18081\r
        > User-Agent: curl/7.88.1\r
        > Accept: */*\r
        > \r
        < HTTP/1.1 503 Service Unavailable\r
        < Server: BaseHTTP/0.6 Python/3.11.7\r
        < Date: Tue, 24 Nov 2026 03:22:11 GMT\r
        < Retry-After: 120\r
        < Content-Length: 27\r
        < \r
        { [27 bytes data]
        * Connection #0 to host 127.0.0.1 left intact
        Retry-After: 999
        body text

        """

    /// `curl -sSL -i http://127.0.0.1:18081/moved` (301 with Retry-After: 30, then 200 without)
    static let curlFollowToSuccess = """
        HTTP/1.1 301 Moved Permanently\r
        Server: BaseHTTP/0.6 Python/3.11.7\r
        Date: Tue, 24 Nov 2026 03:22:11 GMT\r
        Location: /ok\r
        Retry-After: 30\r
        Content-Length: 27\r
        \r
        HTTP/1.1 200 OK\r
        Server: BaseHTTP/0.6 Python/3.11.7\r
        Date: Tue, 24 Nov 2026 03:22:11 GMT\r
        Content-Length: 27\r
        \r
        Retry-After: 999
        body text

        """

    /// `curl -sSL -i http://127.0.0.1:18081/moved-busy` (301, then 503 with Retry-After: 120)
    static let curlFollowToFailure = """
        HTTP/1.1 301 Moved Permanently\r
        Server: BaseHTTP/0.6 Python/3.11.7\r
        Date: Tue, 24 Nov 2026 03:22:11 GMT\r
        Location: /busy\r
        Content-Length: 27\r
        \r
        HTTP/1.1 503 Service Unavailable\r
        Server: BaseHTTP/0.6 Python/3.11.7\r
        Date: Tue, 24 Nov 2026 03:22:11 GMT\r
        Retry-After: 120\r
        Content-Length: 27\r
        \r
        Retry-After: 999
        body text

        """

    /// `curl -sSL -v http://127.0.0.1:18081/moved 2>&1`
    static let curlVerboseFollow = """
        *   Trying 127.0.0.1:18081...
        * Connected to 127.0.0.1 (127.0.0.1) port 18081 (#0)
        > GET /moved HTTP/1.1\r
        > Host: 127.0.0.1:18081\r
        > User-Agent: curl/7.88.1\r
        > Accept: */*\r
        > \r
        < HTTP/1.1 301 Moved Permanently\r
        < Server: BaseHTTP/0.6 Python/3.11.7\r
        < Date: Tue, 24 Nov 2026 03:22:11 GMT\r
        < Location: /ok\r
        < Retry-After: 30\r
        < Content-Length: 27\r
        < \r
        * Ignoring the response-body
        { [27 bytes data]
        * Connection #0 to host 127.0.0.1 left intact
        * Issue another request to this URL: 'http://127.0.0.1:18081/ok'
        * Found bundle for host: 0x558c558b1c90 [serially]
        * Can not multiplex, even if we wanted to
        * Re-using existing connection #0 with host 127.0.0.1
        > GET /ok HTTP/1.1\r
        > Host: 127.0.0.1:18081\r
        > User-Agent: curl/7.88.1\r
        > Accept: */*\r
        > \r
        < HTTP/1.1 200 OK\r
        < Server: BaseHTTP/0.6 Python/3.11.7\r
        < Date: Tue, 24 Nov 2026 03:22:11 GMT\r
        < Content-Length: 27\r
        < \r
        { [27 bytes data]
        * Connection #0 to host 127.0.0.1 left intact
        Retry-After: 999
        body text

        """

    /// `curl -sS -i http://127.0.0.1:18080/busy` (an HTTP/1.0 server)
    static let curlHTTP10 = """
        HTTP/1.0 503 Service Unavailable\r
        Server: BaseHTTP/0.6 Python/3.11.7\r
        Date: Tue, 24 Nov 2026 03:22:11 GMT\r
        Retry-After: 120\r
        Content-Length: 27\r
        \r
        Retry-After: 999
        body text

        """

    /// `curl -sS -i -H 'Expect: 100-continue' -d hello http://127.0.0.1:18081/busy` (an interim response first)
    static let curlContinue = """
        HTTP/1.1 100 Continue\r
        \r
        HTTP/1.1 503 Service Unavailable\r
        Server: BaseHTTP/0.6 Python/3.11.7\r
        Date: Tue, 24 Nov 2026 03:22:11 GMT\r
        Retry-After: 120\r
        Content-Length: 27\r
        \r
        Retry-After: 999
        body text

        """

    /// `wget -S -O /dev/null http://127.0.0.1:18081/busy 2>&1`: indented, no "\r", no blank line after the headers.
    static let wgetServerResponse = """
        --2026-11-24 03:22:11--  http://127.0.0.1:18081/busy
        Connecting to 127.0.0.1:18081... connected.
        HTTP request sent, awaiting response... 
          HTTP/1.1 503 Service Unavailable
          Server: BaseHTTP/0.6 Python/3.11.7
          Date: Tue, 24 Nov 2026 03:22:11 GMT
          Retry-After: 120
          Content-Length: 27
        2026-11-24 03:22:11 ERROR 503: Service Unavailable.


        """

    /// `wget -S -O - http://127.0.0.1:18081/moved 2>&1` (301 with Retry-After: 30, then 200 and its body)
    static let wgetFollowWithBody = """
        --2026-11-24 03:22:11--  http://127.0.0.1:18081/moved
        Connecting to 127.0.0.1:18081... connected.
        HTTP request sent, awaiting response... 
          HTTP/1.1 301 Moved Permanently
          Server: BaseHTTP/0.6 Python/3.11.7
          Date: Tue, 24 Nov 2026 03:22:11 GMT
          Location: /ok
          Retry-After: 30
          Content-Length: 27
        Location: /ok [following]
        --2026-11-24 03:22:11--  http://127.0.0.1:18081/ok
        Reusing existing connection to 127.0.0.1:18081.
        HTTP request sent, awaiting response... 
          HTTP/1.1 200 OK
          Server: BaseHTTP/0.6 Python/3.11.7
          Date: Tue, 24 Nov 2026 03:22:11 GMT
          Content-Length: 27
        Length: 27
        Saving to: ‘STDOUT’
        Retry-After: 999
        body text

             0K                                                       100%  613 =0.04s

        2026-11-24 03:22:11 (613 B/s) - written to stdout [27/27]


        """

    /// `wget -S -O /dev/null http://127.0.0.1:18080/limit 2>&1` (HTTP/1.0, lowercase header with an HTTP-date)
    static let wgetHTTP10 = """
        --2026-11-24 03:22:11--  http://127.0.0.1:18080/limit
        Connecting to 127.0.0.1:18080... connected.
        HTTP request sent, awaiting response... 
          HTTP/1.0 429 Too Many Requests
          Server: BaseHTTP/0.6 Python/3.11.7
          Date: Tue, 24 Nov 2026 03:22:11 GMT
          retry-after: Wed, 21 Oct 2026 07:28:00 GMT
          Content-Length: 27
        2026-11-24 03:22:11 ERROR 429: Too Many Requests.


        """

    /// HTTP/2 as curl prints it (written by hand: no HTTP/2 server here):
    /// no reason phrase, lowercase header names.
    static let curlIncludeHTTP2 = """
        HTTP/2 429\r
        content-type: application/json\r
        retry-after: 7\r
        \r
        {"error": "slow down", "retry-after": 99}

        """

    /// HTTP/2 under `curl -v`, with the trailing space older curls leave after the code.
    static let curlVerboseHTTP2 = """
        > GET / HTTP/2\r
        > Host: example.com\r
        > \r
        < HTTP/2 503 \r
        < retry-after: 7\r
        < \r
        Retry-After: 99

        """
}

/// Feeds `output` line by line, split at "\n" bytes as a reader of a pipe
/// would: "\r\n" is a single Character to Swift, so splitting Characters at
/// "\n" would never split a curl header block.
private func scanned(_ output: String) -> HTTPResponseScanner {
    var scanner = HTTPResponseScanner()
    for line in output.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
        scanner.scan(line: Substring(line))
    }
    return scanner
}

@Suite struct HTTPResponseScannerTests {
    @Test(arguments: [
        (CapturedOutput.curlInclude, 503, "120"),
        (CapturedOutput.curlDumpHeader, 429, "Wed, 21 Oct 2026 07:28:00 GMT"),
        (CapturedOutput.curlVerbose, 503, "120"),
        (CapturedOutput.curlFollowToFailure, 503, "120"),
        (CapturedOutput.curlHTTP10, 503, "120"),
        (CapturedOutput.curlContinue, 503, "120"),
        (CapturedOutput.wgetServerResponse, 503, "120"),
        (CapturedOutput.wgetHTTP10, 429, "Wed, 21 Oct 2026 07:28:00 GMT"),
        (CapturedOutput.curlIncludeHTTP2, 429, "7"),
        (CapturedOutput.curlVerboseHTTP2, 503, "7"),
    ])
    func readsTheStatusAndRetryAfterOfRealOutput(output: String, status: Int, retryAfter: String) {
        let scanner = scanned(output)
        #expect(scanner.lastStatus == status)
        #expect(scanner.lastRetryAfter == retryAfter)
    }

    @Test(arguments: [CapturedOutput.curlFollowToSuccess, CapturedOutput.curlVerboseFollow, CapturedOutput.wgetFollowWithBody])
    func letsTheLastResponseDecideAfterARedirect(output: String) {
        // The 301 asked for 30 seconds; the 200 that followed asked for nothing.
        let scanner = scanned(output)
        #expect(scanner.lastStatus == 200)
        #expect(scanner.lastRetryAfter == nil)
    }

    @Test func startsWithNothing() {
        let scanner = HTTPResponseScanner()
        #expect(scanner.lastStatus == nil && scanner.lastRetryAfter == nil)
        #expect(scanned("").lastStatus == nil)
        #expect(scanned("hello\nworld\n").lastStatus == nil)
    }

    @Test func ignoresRetryAfterBeforeAnyStatusLine() {
        let beforeStatus = scanned("Retry-After: 5\nHTTP/1.1 503 Service Unavailable\r\n\r\n")
        #expect(beforeStatus.lastStatus == 503)
        #expect(beforeStatus.lastRetryAfter == nil)
        #expect(scanned("Retry-After: 5\n").lastRetryAfter == nil)
        #expect(scanned("< Retry-After: 5\n  Retry-After: 5\n").lastRetryAfter == nil)
    }

    @Test func ignoresRetryAfterInABody() {
        // The captured response without its header: only the body mentions Retry-After.
        var scanner = HTTPResponseScanner()
        for line in CapturedOutput.curlInclude.utf8.split(separator: UInt8(ascii: "\n")) where !line.elementsEqual("Retry-After: 120\r".utf8) {
            scanner.scan(line: Substring(line))
        }
        #expect(scanner.lastStatus == 503)
        #expect(scanner.lastRetryAfter == nil)
    }

    @Test func endsAHeaderBlockAtALinePrintedDifferently() {
        // A bare block ends at an indented line and stays ended.
        #expect(scanned("HTTP/1.1 503 x\n  Retry-After: 5\nRetry-After: 6\n").lastRetryAfter == nil)
        // A curl -v block ends at an unprefixed line.
        #expect(scanned("< HTTP/1.1 503 x\nRetry-After: 5\n< Retry-After: 6\n").lastRetryAfter == nil)
        // An indented block ends at a bare line, as wget's does.
        #expect(scanned("  HTTP/1.1 503 x\nLength: 27\n  Retry-After: 5\n").lastRetryAfter == nil)
        // The indentation itself may vary within an indented block.
        #expect(scanned("  HTTP/1.1 503 x\n\tRetry-After: 5\n").lastRetryAfter == "5")
    }

    @Test func neverCountsRequestLines() {
        let requestOnly = scanned("> HTTP/1.1 503 Service Unavailable\r\n> Retry-After: 5\r\n")
        #expect(requestOnly.lastStatus == nil && requestOnly.lastRetryAfter == nil)
        // A request line inside a response's headers neither counts nor ends them.
        let interleaved = scanned("< HTTP/1.1 429 x\r\n> Retry-After: 5\r\n>\r\n< Retry-After: 6\r\n")
        #expect(interleaved.lastStatus == 429)
        #expect(interleaved.lastRetryAfter == "6")
    }

    @Test func resetsRetryAfterAtEachStatusLine() {
        var scanner = HTTPResponseScanner()
        for line in ["HTTP/1.1 503 x", "Retry-After: 5", "", "HTTP/1.1 502 y"] { scanner.scan(line: Substring(line)) }
        #expect(scanner.lastStatus == 502 && scanner.lastRetryAfter == nil)
        for line in ["Retry-After: 8"] { scanner.scan(line: Substring(line)) }
        #expect(scanner.lastRetryAfter == "8")
    }

    @Test func keepsTheLastRetryAfterOfOneResponse() {
        #expect(scanned("HTTP/1.1 503 x\nRetry-After: 5\nRetry-After: 6\n").lastRetryAfter == "6")
    }

    @Test(arguments: [
        ("HTTP/1.1 503 Service Unavailable", 503),
        ("HTTP/1.1 503 Service Unavailable\r", 503),
        ("HTTP/1.0 200 OK", 200),
        ("HTTP/2 429", 429),
        ("HTTP/2 429 \r", 429),
        ("HTTP/3 504 Gateway Timeout", 504),
        ("HTTP/1.1 503 ", 503),
        ("HTTP/1.1 100 Continue", 100),
        ("HTTP/1.1 599", 599),
        ("< HTTP/1.1 503 Service Unavailable\r", 503),
        ("< HTTP/2 429 \r", 429),
        ("  HTTP/1.1 503 Service Unavailable", 503),
        ("\tHTTP/1.1 503 Service Unavailable", 503),
        ("HTTP/1.1 503 Service\tUnavailable", 503),
        ("HTTP/1.1 503 Ünavailable", 503),
    ])
    func recognisesStatusLines(line: String, status: Int) {
        #expect(scanned(line).lastStatus == status)
    }

    @Test(arguments: [
        "HTTP/1.1 50 OK", "HTTP/1.1 5034", "HTTP/1.1 503x", "HTTP/1.1 5O3 x", "HTTP/11 503 x", "HTTP/1. 503 x",
        "HTTP/1.12 503 x", "HTTP/1.1  503 x", "HTTP/1.1\t503 x", "HTTP/ 503 x", "HTTP/1.1", "HTTP/1.1 ", "HTTP/", "HTTP",
        "http/1.1 503 x", "Http/1.1 503 x", "xHTTP/1.1 503 x", "HTTPS/1.1 503 x", "HTTP/1.1 600 x", "HTTP/1.1 099 x",
        "HTTP/1.1 000", "HTTP/a.1 503 x", "HTTP/1.x 503 x", "<HTTP/1.1 503 x", "<  HTTP/1.1 503 x", "> HTTP/1.1 503 x",
        "GET /busy HTTP/1.1", "Status: 503", "HTTP/1.1 ٥٠٣ x", "",
    ])
    func refusesLinesThatAreNotStatusLines(line: String) {
        #expect(scanned(line).lastStatus == nil)
    }

    @Test(arguments: [
        ("Retry-After: 120", "120"),
        ("retry-after: 120", "120"),
        ("RETRY-AFTER:120", "120"),
        ("rEtRy-AfTeR:\t 120 \t\r", "120"),
        ("Retry-After: Sun, 06 Nov 1994 08:49:37 GMT\r", "Sun, 06 Nov 1994 08:49:37 GMT"),
        ("Retry-After: not a number", "not a number"),
        ("Retry-After:", ""),
        ("Retry-After:   \r", ""),
    ])
    func readsRetryAfterHeaders(line: String, value: String) {
        #expect(scanned("HTTP/1.1 503 x\r\n\(line)\n").lastRetryAfter == value)
    }

    @Test(arguments: [
        "Retry-After : 5", "X-Retry-After: 5", "Retry-After-Ms: 5", "RetryAfter: 5", "Retry_After: 5",
        "Retry\rAfter: 5", "Retry-After\u{1A} 5", "Retry-After", "Retry-Afte: 5",
    ])
    func refusesOtherHeaders(line: String) {
        #expect(scanned("HTTP/1.1 503 x\r\n\(line)\n").lastRetryAfter == nil)
    }

    @Test func survivesEveryTruncationOfAResponseLine() {
        // Cutting lines short anywhere must neither trap nor invent a status.
        for full in ["< HTTP/1.1 503 Service Unavailable\r", "  HTTP/2 429 \r", "Retry-After: 5\r", "> \r", "< \r"] {
            let bytes = Array(full.utf8)
            for length in 0...bytes.count {
                var scanner = HTTPResponseScanner()
                scanner.scan(line: "HTTP/1.1 200 OK")
                scanner.scan(line: Substring(decoding: bytes[..<length], as: UTF8.self))
                #expect(scanner.lastStatus == 200 || scanner.lastStatus == 503 || scanner.lastStatus == 429)
            }
        }
    }

    @Test func acceptsASliceOfALongerString() {
        // The runner hands over slices of its buffer, not whole strings.
        let buffer = "noise\nHTTP/1.1 503 x\r\nRetry-After: 9\r\nmore"
        var scanner = HTTPResponseScanner()
        let lines = buffer.utf8.split(separator: UInt8(ascii: "\n"))
        scanner.scan(line: Substring(lines[1]))
        scanner.scan(line: Substring(lines[2]))
        #expect(scanner.lastStatus == 503 && scanner.lastRetryAfter == "9")
    }
}
