// The one file that imports the C library: every other file of RetrySystem
// sees it through this re-export. retry supports Linux (glibc) only; a port
// adds its own branch here and its own `+Darwin` files beside the `+Linux` ones.
@_exported import Glibc
// The calls Swift cannot make to glibc itself (variadic `prctl`).
@_exported import CRetry
