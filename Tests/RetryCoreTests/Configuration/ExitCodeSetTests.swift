import Testing
@testable import RetryCore

@Suite struct ExitCodeSetTests {
    @Test func parsesListsAndRanges() throws {
        let set = try ExitCodeSet.parse("1,3,5-9")
        #expect((0...12).filter { set.contains(Int32($0)) } == [1, 3, 5, 6, 7, 8, 9])
        #expect(set.description == "1,3,5-9")
        #expect(try ExitCodeSet.parse("7,7,6-8").description == "6-8")
        #expect(try ExitCodeSet.parse("255").contains(255))
        #expect(!ExitCodeSet([300, -1]).contains(300))
    }

    @Test(arguments: [
        ("", "expected exit statuses, like 1,3,5-9"),
        ("a", "'a' is not an exit status or a range of them; expected like 1,3,5-9"),
        ("1,,2", "'' is not an exit status or a range of them; expected like 1,3,5-9"),
        ("1-", "'1-' is not an exit status or a range of them; expected like 1,3,5-9"),
        ("-3", "'-3' is not an exit status or a range of them; expected like 1,3,5-9"),
        ("1-2-3", "'1-2-3' is not an exit status or a range of them; expected like 1,3,5-9"),
        ("9-5", "the range '9-5' runs backwards; write 5-9"),
        ("256", "exit statuses go from 1 to 255; 256 is not one"),
        ("0", "exit statuses go from 1 to 255; 0 is not one"),
        ("99999999999", "'99999999999' is not an exit status or a range of them; expected like 1,3,5-9"),
    ])
    func refusesMalformedLists(text: String, reason: String) {
        #expect(throws: InvalidValue(reason)) { try ExitCodeSet.parse(text, allowed: 1...255) }
    }
}
