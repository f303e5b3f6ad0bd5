import Foundation
import XCTest

/// A small HTTP server on 127.0.0.1 for the tests, in Python's standard
/// library: each path answers a scripted sequence of statuses, request by
/// request (`/s?codes=503,503,200&retry_after=1`; the last code repeats),
/// and the server stops by itself after a minute.
final class TestHTTPServer {
    static let script = """
        import http.server, sys, threading, urllib.parse
        counts = {}
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                query = urllib.parse.parse_qs(url.query)
                codes = [int(c) for c in query.get("codes", ["200"])[0].split(",")]
                n = counts.get(self.path, 0)
                counts[self.path] = n + 1
                code = codes[min(n, len(codes) - 1)]
                body = ("answer %d of %s\\n" % (n + 1, url.path)).encode()
                self.send_response(code)
                if code >= 400 and "retry_after" in query:
                    self.send_header("Retry-After", query["retry_after"][0])
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Timer(60, server.shutdown).start()
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """

    let process = Process()
    let port: Int

    init() throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        port = try XCTUnwrap(Int(String(decoding: line, as: UTF8.self)), "the test server did not start")
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }
}
