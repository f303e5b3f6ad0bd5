import Foundation
import Testing
@testable import RetryCore

/// GitHub workflow commands' escaping, as Foundation's
/// `replacingOccurrences` did it before the core dropped Foundation.
@Suite struct WorkflowEscapeTests {
    @Test(arguments: ["", "plain", "100%", "%%", "a\nb", "a\r\nb", "\r", "\n\r", "50% done\r\nnext\n",
                      "é\r\n", "e\u{301}\n", "🇫🇷%\r", "%0A literal", "\u{0}\u{7F}"])
    func escapesAsFoundationDid(_ text: String) {
        let foundation = text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
        #expect(Array(TextReporter.escapedForWorkflow(text).utf8) == Array(foundation.utf8))
    }

    @Test func aCarriageReturnBeforeALineFeedIsEscapedToo() {
        #expect(TextReporter.escapedForWorkflow("x\r\ny") == "x%0D%0Ay")
    }
}
