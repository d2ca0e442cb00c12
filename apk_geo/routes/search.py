"""The planner for larger plans: OR-Tools routing, a prize-collecting vehicle-routing model.

Every team is a vehicle with its own start, end, shift and travel times; every visit is an
optional node (a disjunction whose penalty is its priority in whole units) and the dwell is its
service time in a time dimension whose cumul is the time after the plan's origin. A count
dimension caps each team's stops. A second visit of a place is a node of its own that may be
served only together with the first, starting at least the revisit interval after it (and, when
asked, within a latest interval), by any team, and never straight after the first visit (staying
on is one long stop, not a return).

The search is guided local search from a cheapest-arc start (or from a given plan), and it ends
when it has found ``solution_limit`` solutions: a count, so the same input gives the same plan on
an idle and on a loaded machine. The wall-clock ``time_limit_s`` is only a safety net; when it
ends the search, the solution says so (``safety_limit_fired``).

References
----------
Perron, L., & Furnon, V. OR-Tools routing library (``ortools.constraint_solver.pywrapcp``),
https://developers.google.com/optimization/routing.

Voudouris, C., & Tsang, E. (1999). Guided local search and its application to the traveling
salesman problem. *European Journal of Operational Research* 113(2), 469–499.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np

from apk_geo.routes.model import _Problem, _Solution

__all__: list[str] = []

logger = logging.getLogger(__name__)

#: OR-Tools routing status codes (``RoutingModel.status()``) in words.
_STATUS: Final[Mapping[int, str]] = {
    0: "not solved",
    1: "success",
    2: "stopped before a local optimum",
    3: "no solution",
    4: "no solution within the time limit",
    5: "invalid model",
    6: "infeasible",
    7: "optimal",
}


def solve_search(
    problem: _Problem,
    *,
    solution_limit: int,
    time_limit_s: float,
    initial: Sequence[Sequence[int]] | None = None,
) -> _Solution:
    """Return the plan the local search finds, in visit indices per team.

    Parameters
    ----------
    problem
        The plan (all its visits, second visits included).
    solution_limit
        Number of solutions after which the search ends (what normally ends it).
    time_limit_s
        Wall-clock safety net.
    initial
        A feasible plan (visit indices per team, in route order) to start from; the search then
        never returns a worse one.
    """
    from ortools.constraint_solver import pywrapcp

    n_teams = len(problem.teams)
    if not problem.visits:
        return _Solution(((),) * n_teams, "local search", "no candidates", False, False)
    manager = pywrapcp.RoutingIndexManager(
        len(problem.visits) + 2 * n_teams,
        n_teams,
        [2 * k for k in range(n_teams)],
        [2 * k + 1 for k in range(n_teams)],
    )
    routing = pywrapcp.RoutingModel(manager)
    time_dim = _add_dimensions(routing, problem)
    _add_visits(routing, manager, time_dim, problem)
    params = _search_parameters(
        n_visits=len(problem.visits), time_limit_s=time_limit_s, solution_limit=solution_limit
    )
    began = time.perf_counter()
    solution = _run(routing, manager, params, initial=initial, n_teams=n_teams)
    elapsed = time.perf_counter() - began
    fired = elapsed >= 0.95 * time_limit_s
    status = _STATUS.get(int(routing.status()), str(routing.status()))
    logger.info("OR-Tools routing: %s after %.2f s", status, elapsed)
    if solution is None:
        # every visit is optional, so this means the must-visits cannot all be fitted
        return _Solution(((),) * n_teams, "local search", status, False, fired)
    return _Solution(
        orders=_orders(routing, manager, solution, n_teams=n_teams),
        solver="local search",
        status=status,
        optimal=False,
        safety_limit_fired=fired,
        stats={"seconds": round(elapsed, 3)},
    )


def _run(
    routing: Any,
    manager: Any,
    params: Any,
    *,
    initial: Sequence[Sequence[int]] | None,
    n_teams: int,
) -> Any:
    """Solve from ``initial`` when given (and readable), else from a first-solution heuristic."""
    if initial is not None:
        offset = 2 * n_teams
        routes = [[manager.NodeToIndex(int(v) + offset) for v in r] for r in initial]
        start = routing.ReadAssignmentFromRoutes(routes, True)
        if start is not None:
            return routing.SolveFromAssignmentWithParameters(start, params)
    return routing.SolveWithParameters(params)


def _node_locations(problem: _Problem) -> np.ndarray:
    """Return the location of every routing node (team starts and ends, then the visits)."""
    n_teams = len(problem.teams)
    return np.array(
        [*range(2 * n_teams), *[problem.loc(v) for v in problem.visits]], dtype=np.int64
    )


def _add_dimensions(routing: Any, problem: _Problem) -> Any:
    """Add the travel costs, the time dimension (returned) and the stop counts."""
    n_teams = len(problem.teams)
    loc = _node_locations(problem)
    service = np.array([0] * (2 * n_teams) + [v.dwell_s for v in problem.visits], dtype=np.int64)
    horizon = max(u.shift_end_s for u in problem.teams)
    time_cbs = []
    cache: dict[int, tuple[int, int]] = {}
    for k in range(n_teams):
        key = id(problem.travel[k])
        if key not in cache:
            travel = problem.travel[k][np.ix_(loc, loc)]
            cache[key] = (
                routing.RegisterTransitMatrix(travel.tolist()),
                routing.RegisterTransitMatrix((travel + service[:, None]).tolist()),
            )
        cost_cb, time_cb = cache[key]
        routing.SetArcCostEvaluatorOfVehicle(cost_cb, k)
        time_cbs.append(time_cb)
    routing.AddDimensionWithVehicleTransits(time_cbs, horizon, horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    for k, unit in enumerate(problem.teams):
        time_dim.CumulVar(routing.Start(k)).SetRange(unit.shift_start_s, unit.shift_start_s)
        time_dim.CumulVar(routing.End(k)).SetRange(unit.shift_start_s, unit.shift_end_s)
    caps = [u.max_stops for u in problem.teams]
    if any(c is not None for c in caps):
        count_cb = routing.RegisterUnaryTransitVector(
            [0] * (2 * n_teams) + [1] * len(problem.visits)
        )
        limits = [len(problem.visits) if c is None else int(c) for c in caps]
        routing.AddDimensionWithVehicleCapacity(count_cb, 0, limits, True, "stops")
    return time_dim


def _penalties(problem: _Problem) -> tuple[list[int], int]:
    """Return each visit's penalty for being left out, and the penalty of a must-visit.

    One priority unit outweighs any total travel time, and leaving out a must-visit outweighs
    every other penalty together.
    """
    weight = sum(u.shift_end_s - u.shift_start_s for u in problem.teams) + 1
    weight += sum(int(problem.travel[k][2 * k, 2 * k + 1]) for k in range(len(problem.teams)))
    penalties = [int(p) * weight for p in problem.priority_units()]
    return penalties, (sum(penalties) + weight) * 2


def _add_visits(routing: Any, manager: Any, time_dim: Any, problem: _Problem) -> None:
    """Make every visit an optional node with its window, penalty and revisit rules."""
    penalties, must_penalty = _penalties(problem)
    offset = 2 * len(problem.teams)
    first_of = {v.cand: k for k, v in enumerate(problem.visits) if v.visit == 1}
    for k, v in enumerate(problem.visits):
        index = manager.NodeToIndex(k + offset)
        lo, hi = math.ceil(v.window[0]), math.floor(v.window[1])
        if lo > hi:  # an empty window (the planner refuses must-visits with one)
            routing.AddDisjunction([index], 0)
            routing.ActiveVar(index).SetValue(0)
            continue
        time_dim.CumulVar(index).SetRange(lo, hi)
        routing.AddDisjunction([index], must_penalty if v.must else penalties[k])
        if v.visit == 2 and problem.revisit_s is not None:
            # a second visit only together with the first, and starting >= revisit_s after it
            first = manager.NodeToIndex(first_of[v.cand] + offset)
            solver = routing.solver()
            solver.Add(routing.ActiveVar(index) <= routing.ActiveVar(first))
            # not straight after the first visit: that would be one long stay, not a revisit
            solver.Add(routing.NextVar(first) != index)
            time_dim.AddNodePrecedence(first, index, problem.revisit_s)
            if problem.revisit_within_s is not None:
                solver.Add(
                    time_dim.CumulVar(index) <= time_dim.CumulVar(first) + problem.revisit_within_s
                )


def _search_parameters(*, n_visits: int, time_limit_s: float, solution_limit: int) -> Any:
    """Return the search parameters: cheapest arc, then guided local search within the limits."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    meta = routing_enums_pb2.LocalSearchMetaheuristic
    # with a single visit guided local search finds no further solution and would idle until
    # the time limit; plain descent is exact there
    params.local_search_metaheuristic = (
        meta.GUIDED_LOCAL_SEARCH if n_visits > 1 else meta.GREEDY_DESCENT
    )
    params.time_limit.FromMilliseconds(int(time_limit_s * 1000))
    params.solution_limit = int(solution_limit)
    return params


def _orders(
    routing: Any, manager: Any, solution: Any, *, n_teams: int
) -> tuple[tuple[int, ...], ...]:
    """Return the visit indices each vehicle serves, in route order."""
    offset = 2 * n_teams
    orders = []
    for k in range(n_teams):
        order = []
        index = routing.Start(k)
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            if node >= offset:
                order.append(node - offset)
            index = solution.Value(routing.NextVar(index))
        orders.append(tuple(order))
    return tuple(orders)
