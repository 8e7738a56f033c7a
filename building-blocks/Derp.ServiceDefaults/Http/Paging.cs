using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Derp.ServiceDefaults.Http;

public sealed record PagedResponse<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

public static class Paging
{
    /// <summary>Every list skips (page - 1) * pageSize rows as an int: pages past that are refused, not overflowed.</summary>
    public const long MaxRowOffset = int.MaxValue;

    /// <summary>A validation problem for an out-of-range page or page size, else null.</summary>
    public static ValidationProblem? Check(int page, int pageSize, int maxPageSize = 200) =>
        page < 1 ? ApiProblems.Validation("page", "Page must be 1 or more.")
        : pageSize < 1 || pageSize > maxPageSize ? ApiProblems.Validation("pageSize", $"Page size must be between 1 and {maxPageSize}.")
        : (long)page * pageSize > MaxRowOffset ? ApiProblems.Validation("page", $"Page times page size must stay below {MaxRowOffset}.")
        : null;
}
