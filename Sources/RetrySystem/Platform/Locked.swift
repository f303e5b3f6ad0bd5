import RetryCore

/// A value shared between threads behind a pthread mutex.
///
/// Not `Synchronization.Mutex`: it locks with futexes inside a module that is
/// not built for ThreadSanitizer, which then sees two threads change the
/// value with no lock between them and reports a race that is not there
/// (CI's sanitizer run did, for the event mailbox). TSan sees pthread locks.
package final class Locked<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    package init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` on the value with the lock held.
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
