/// What the scanning of an attempt's output found.
package struct OutputReport: Equatable, Sendable {
    /// The status of the last HTTP response seen on either stream.
    package var httpStatus: Int?
    /// That response's Retry-After, as written.
    package var retryAfter: String?
    package var retryPatternMatched = false
    package var stopPatternMatched = false
    /// Output that could not be delivered or held, if any.
    package var lost: OutputLoss?

    package init(httpStatus: Int? = nil, retryAfter: String? = nil, retryPatternMatched: Bool = false, stopPatternMatched: Bool = false) {
        self.httpStatus = httpStatus
        self.retryAfter = retryAfter
        self.retryPatternMatched = retryPatternMatched
        self.stopPatternMatched = stopPatternMatched
    }
}
