/// Why an option's value was refused, without the option's name, which the
/// parser adds.
package struct InvalidValue: Error, Equatable {
    package let reason: String
    package init(_ reason: String) { self.reason = reason }
}
