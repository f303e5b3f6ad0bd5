import Testing
@testable import RetryCore

@Suite struct HTTPStatusSetTests {
    @Test func parsesCodesClassesAndRanges() throws {
        let list = try HTTPStatusSet.parse("408,425,429,500-504")
        #expect((100...599).filter(list.contains) == [408, 425, 429, 500, 501, 502, 503, 504])
        #expect(list.description == "408,425,429,500-504")

        let servers = try HTTPStatusSet.parse("5xx")
        #expect((100...599).filter(servers.contains) == Array(500...599))
        #expect(servers.description == "5xx")

        let mixed = try HTTPStatusSet.parse("429,5xx")
        #expect(mixed.contains(429) && mixed.contains(599) && !mixed.contains(428) && !mixed.contains(499))
        #expect(mixed.description == "429,5xx")
        #expect(try HTTPStatusSet.parse("5XX,4Xx") == HTTPStatusSet.parse("400-599"))
    }

    @Test(arguments: [
        ("503,5xx,501", "5xx"),
        ("400-599", "4xx,5xx"),
        ("100-599", "1xx,2xx,3xx,4xx,5xx"),
        ("450-599", "450-499,5xx"),
        ("400-550", "4xx,500-550"),
        ("498-502", "498-502"),
        ("504,503,502,502", "502-504"),
        ("599,100", "100,599"),
    ])
    func describesCanonically(text: String, canonical: String) throws {
        let set = try HTTPStatusSet.parse(text)
        #expect(set.description == canonical)
        #expect(try HTTPStatusSet.parse(canonical) == set)
    }

    @Test func transientIsCurlsListWithoutCloudflaresCodes() {
        let transient = HTTPStatusSet.transient
        #expect((100...599).filter(transient.contains) == [408, 425, 429, 500, 502, 503, 504])
        #expect(transient.description == "408,425,429,500,502-504")
        #expect(!transient.contains(501) && !transient.contains(404))
    }

    @Test func leavesOutCodesNoResponseCanHave() {
        let set = HTTPStatusSet([99, 600, -1, Int.max, Int.min, 200])
        #expect(set.description == "200")
        #expect(!set.contains(99) && !set.contains(600) && !set.contains(Int.min) && !set.contains(Int.max))
        #expect(HTTPStatusSet([]).description == "")
    }

    @Test(arguments: [
        ("", "expected HTTP status codes, like 429,5xx or 500-504"),
        ("abc", "'abc' is not an HTTP status code, a class like 5xx or a range; expected like 429,5xx or 500-504"),
        ("429,,503", "'' is not an HTTP status code, a class like 5xx or a range; expected like 429,5xx or 500-504"),
        ("429,", "'' is not an HTTP status code, a class like 5xx or a range; expected like 429,5xx or 500-504"),
        ("500-", "'500-' is not an HTTP status code, a class like 5xx or a range; expected like 429,5xx or 500-504"),
        ("-500", "'-500' is not an HTTP status code, a class like 5xx or a range; expected like 429,5xx or 500-504"),
        ("500-502-504", "'500-502-504' is not an HTTP status code, a class like 5xx or a range; expected like 429,5xx or 500-504"),
        ("5x", "'5x' is not an HTTP status code, a class like 5xx or a range; expected like 429,5xx or 500-504"),
        ("5xxx", "'5xxx' is not an HTTP status code, a class like 5xx or a range; expected like 429,5xx or 500-504"),
        ("4xx-5xx", "'4xx-5xx' is not an HTTP status code, a class like 5xx or a range; expected like 429,5xx or 500-504"),
        (" 429", "' 429' is not an HTTP status code, a class like 5xx or a range; expected like 429,5xx or 500-504"),
        ("+429", "'+429' is not an HTTP status code, a class like 5xx or a range; expected like 429,5xx or 500-504"),
        ("42٩", "'42٩' is not an HTTP status code, a class like 5xx or a range; expected like 429,5xx or 500-504"),
        ("99999999999", "'99999999999' is not an HTTP status code, a class like 5xx or a range; expected like 429,5xx or 500-504"),
        ("504-500", "the range '504-500' runs backwards; write 500-504"),
        ("600", "HTTP status codes go from 100 to 599; 600 is not one"),
        ("99", "HTTP status codes go from 100 to 599; 99 is not one"),
        ("99-101", "HTTP status codes go from 100 to 599; 99 is not one"),
        ("999999999", "HTTP status codes go from 100 to 599; 999999999 is not one"),
        ("6xx", "HTTP status codes go from 100 to 599; '6xx' is not one"),
        ("0xx", "HTTP status codes go from 100 to 599; '0xx' is not one"),
    ])
    func refusesMalformedLists(text: String, reason: String) {
        #expect(throws: InvalidValue(reason)) { try HTTPStatusSet.parse(text) }
    }
}
