"""The domains' diagram, drawn only as the curriculum makes true (issue 15, item 6).

Six fixed circles cannot give every combination of domains a region of its own, so a mark in
them can claim memberships that are not there. Instead this draws an Euler diagram: a circle
per top domain, overlapping only where resources share those domains. Each mark sits on a
cell of one grid whose centre is checked against every circle: inside exactly the circles of
its domains, with room for the whole mark. When a combination finds no such cell (or past
six domains), the combinations are drawn as an UpSet matrix instead: a row per domain, a
column per combination that occurs, its member rows joined.

Sizes are in SVG units of a drawing `WIDTH` wide, which a phone shows at least `PHONE` px
wide: marks are then at least 24 px, big enough to tap.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from diymasters.model import Status

#: Past this many domains, circles cannot keep every combination apart: a matrix is drawn.
MAX_CIRCLES = 6
#: The Euler diagram's width, and the narrowest it is shown (a 390 px phone, less margins).
WIDTH = 660.0
PHONE = 330.0
#: A mark's diameter: 24 px at the narrowest.
MARK = 24 * WIDTH / PHONE
#: Marks sit on a grid this far apart, so that no two overlap.
PITCH = MARK + 6
#: Room a mark keeps from every circle's edge, inside or out.
CLEAR = 4.0
#: Labels' font size, and a generous width per character (labels must not overlap).
FONT = 26.0
CHAR = 0.68 * FONT
LINE = 1.25 * FONT
#: Characters per line of a circle's label, and of a matrix row's (cut beyond it; the page
#: shows the whole name when pointed at, and in the table).
WRAP = 18
ROW_CHARS = 20
#: The drawing's margin, and the space between a label and anything else.
GAP = 12.0
#: Where a label is tried round its circle: straight out first, then further and further round.
TURNS = (0, 20, -20, 40, -40, 60, -60, 80, -80, 100, -100, 120, -120, 140, -140, 160, -160, 180)
#: Where two domains share resources their circles' centres are this many radii apart (a
#: lens wide enough for marks); where they share none, at least `APART` (no lens at all).
OVERLAP = 1.1
APART = 2.9
#: Starting positions tried before the matrix is drawn instead, and steps of each.
ATTEMPTS = 12
STEPS = 300
#: Colours that stay distinct for colour-blind readers (Okabe-Ito), one per circle.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
EULER = "euler"
UPSET = "upset"


@dataclass(frozen=True)
class VennResource:
    """A resource and the top domains it belongs to, its own first."""

    id: int | None
    title: str
    status: Status | None
    progress: float
    domains: tuple[str, ...]


@dataclass(frozen=True)
class Region:
    """A domain's shape: a circle (Euler), or a row of the matrix (UpSet)."""

    domain: str
    #: "circle" or "row".
    shape: str
    #: A circle's centre; a row's left end and middle line.
    x: float
    y: float
    #: A circle's radius (0 for a row).
    r: float
    #: A row's length (a circle's diameter).
    width: float
    colour: str


@dataclass(frozen=True)
class Combination:
    """A set of domains that some resources have exactly, and those resources."""

    domains: tuple[str, ...]
    count: int
    resources: tuple[int | None, ...]
    #: The matrix's column (UpSet); the first mark's centre (Euler).
    x: float


@dataclass(frozen=True)
class Mark:
    """One resource, or several of one combination when their region holds one mark only."""

    resources: tuple[int | None, ...]
    title: str
    #: The resource's status; None for a mark of several.
    status: Status | None
    domains: tuple[str, ...]
    #: Index of its combination in `VennLayout.combinations`.
    combination: int
    x: float
    y: float
    size: float


@dataclass(frozen=True)
class Label:
    """A domain's name, in a box that overlaps no other label and no mark."""

    domain: str
    lines: tuple[str, ...]
    #: The box's top left corner and size.
    x: float
    y: float
    width: float
    height: float
    #: Where the text is anchored, and how ("middle" or "end").
    text_x: float
    anchor: str


@dataclass(frozen=True)
class VennLayout:
    """The drawing: its kind and why, its size, and every shape, mark and label in it."""

    kind: str
    why: str
    width: float
    height: float
    #: The narrowest it may be shown, in CSS px: marks are then 24 px. A matrix is drawn at
    #: this width and scrolls; a diagram fills the page's width, at least a phone's.
    min_px_width: int
    font: float
    regions: tuple[Region, ...]
    combinations: tuple[Combination, ...]
    marks: tuple[Mark, ...]
    labels: tuple[Label, ...]


def venn_layout(domains: Sequence[str], resources: Sequence[VennResource]) -> VennLayout:
    """An Euler diagram of the domains, or the UpSet matrix where circles cannot be true."""
    combos = _combinations(domains, resources)
    if not domains:
        return _upset(domains, combos, "the curriculum has no domains")
    if len(domains) > MAX_CIRCLES:
        why = f"{len(domains)} domains are more than {MAX_CIRCLES} circles can keep apart"
        return _upset(domains, combos, why)
    euler = _euler(domains, combos)
    if euler is None:
        why = "circles leave no room of its own for every combination of domains that occurs"
        return _upset(domains, combos, why)
    return euler


def _combinations(
    domains: Sequence[str], resources: Iterable[VennResource]
) -> dict[tuple[str, ...], list[VennResource]]:
    """The resources of each combination that occurs, the largest combination first."""
    order = {name: index for index, name in enumerate(domains)}
    found: dict[tuple[str, ...], list[VennResource]] = {}
    for resource in resources:
        key = tuple(sorted({d for d in resource.domains if d in order}, key=order.__getitem__))
        if key:
            found.setdefault(key, []).append(resource)
    ranked = sorted(found.items(), key=lambda item: (-len(item[1]), [order[d] for d in item[0]]))
    return dict(ranked)


# --- Euler ------------------------------------------------------------------------------------


def _euler(
    domains: Sequence[str], combos: Mapping[tuple[str, ...], list[VennResource]]
) -> VennLayout | None:
    """The best arrangement that gives every combination room, or None when none does.

    Best: the fewest marks that count several resources, then the largest circles.
    """
    shared = {frozenset(pair) for key in combos for pair in itertools.combinations(key, 2)}
    drawn = [
        drawing
        for attempt in range(ATTEMPTS)
        if (drawing := _attempt(domains, combos, shared, attempt)) is not None
    ]
    return max(drawn, key=lambda d: (len(d.marks), d.regions[0].r), default=None)


def _attempt(
    domains: Sequence[str],
    combos: Mapping[tuple[str, ...], list[VennResource]],
    shared: set[frozenset[str]],
    seed: int,
) -> VennLayout | None:
    """Circles from one starting position, if every mark and label finds its place.

    Domains that share no resource must not overlap at all.
    """
    rng = random.Random(seed)  # noqa: S311 (a layout, not a secret)
    centres, radius = _fitted(_arranged(domains, shared, rng))
    if any(
        math.dist(centres[a], centres[b]) < 2 * radius
        for a, b in itertools.combinations(domains, 2)
        if frozenset((a, b)) not in shared
    ):
        return None
    marks = _marks_on_grid(centres, radius, combos)
    labels = _circle_labels(centres, radius) if marks is not None else None
    if marks is None or labels is None:
        return None
    return _framed(centres, radius, combos, marks, labels)


def _arranged(
    domains: Sequence[str], shared: set[frozenset[str]], rng: random.Random
) -> dict[str, tuple[float, float]]:
    """Centres for circles of radius 1: near where domains share, apart where they do not.

    A few steps of a spring layout; the pull to the middle is stronger sideways, so that the
    drawing grows tall rather than wide and stays large on a phone.
    """
    spread = len(domains)
    points = [[rng.uniform(-spread, spread), rng.uniform(-spread, spread)] for _ in domains]
    pairs = [
        (i, j, frozenset((domains[i], domains[j])) in shared)
        for i, j in itertools.combinations(range(len(domains)), 2)
    ]
    for _ in range(STEPS):
        forces = [[-0.06 * x, -0.02 * y] for x, y in points]
        for i, j, near in pairs:
            dx, dy = points[j][0] - points[i][0], points[j][1] - points[i][1]
            distance = math.hypot(dx, dy) or 1e-6
            pull = distance - OVERLAP if near else min(0.0, distance - APART)
            fx, fy = pull * dx / distance / 2, pull * dy / distance / 2
            forces[i][0] += fx
            forces[i][1] += fy
            forces[j][0] -= fx
            forces[j][1] -= fy
        for point, (fx, fy) in zip(points, forces, strict=True):
            point[0] += 0.5 * fx
            point[1] += 0.5 * fy
    return {name: (x, y) for name, (x, y) in zip(domains, points, strict=True)}


def _fitted(
    centres: Mapping[str, tuple[float, float]],
) -> tuple[dict[str, tuple[float, float]], float]:
    """The circles scaled to fill the drawing's width, and their radius."""
    xs = [x for x, _ in centres.values()]
    span = max(xs) - min(xs) + 2
    radius = min((WIDTH - 2 * GAP) / span, WIDTH / 3)
    middle = (max(xs) + min(xs)) / 2
    return {
        name: (WIDTH / 2 + (x - middle) * radius, y * radius) for name, (x, y) in centres.items()
    }, radius


def _marks_on_grid(
    centres: Mapping[str, tuple[float, float]],
    radius: float,
    combos: Mapping[tuple[str, ...], list[VennResource]],
) -> list[Mark] | None:
    """Each combination's marks on free grid cells of its own region, or None if one has none.

    A region too small for all of its resources holds one mark that counts them.
    """
    cells = _cells_by_region(centres, radius)
    marks: list[Mark] = []
    for index, (key, members) in enumerate(combos.items()):
        room = _nearest_middle(cells.get(key, []))
        if not room:
            return None
        if len(room) >= len(members):
            marks.extend(
                _mark(index, [r], key, spot) for r, spot in zip(members, room, strict=False)
            )
        else:
            marks.append(_mark(index, members, key, room[0]))
    return marks


def _cells_by_region(
    centres: Mapping[str, tuple[float, float]], radius: float
) -> dict[tuple[str, ...], list[tuple[float, float]]]:
    """The grid's cells by the circles that hold a whole mark there; cells on an edge left out."""
    inner, outer = radius - MARK / 2 - CLEAR, radius + MARK / 2 + CLEAR
    left = min(x for x, _ in centres.values()) - radius
    top = min(y for _, y in centres.values()) - radius
    right = max(x for x, _ in centres.values()) + radius
    bottom = max(y for _, y in centres.values()) + radius
    found: dict[tuple[str, ...], list[tuple[float, float]]] = {}
    for column in range(int((right - left) / PITCH) + 1):
        for row in range(int((bottom - top) / PITCH) + 1):
            spot = left + (column + 0.5) * PITCH, top + (row + 0.5) * PITCH
            distances = {name: math.dist(spot, centre) for name, centre in centres.items()}
            if all(d <= inner or d >= outer for d in distances.values()):
                key = tuple(name for name, d in distances.items() if d <= inner)
                found.setdefault(key, []).append(spot)
    return found


def _nearest_middle(cells: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """A region's cells, those nearest its middle first, so that marks sit together."""
    if not cells:
        return []
    middle = sum(x for x, _ in cells) / len(cells), sum(y for _, y in cells) / len(cells)
    return sorted(cells, key=lambda spot: (math.dist(spot, middle), spot))


def _mark(
    combination: int,
    members: Sequence[VennResource],
    key: tuple[str, ...],
    spot: tuple[float, float],
) -> Mark:
    (only, *more) = members
    return Mark(
        resources=tuple(r.id for r in members),
        title=only.title if not more else f"{len(members)} resources",
        status=only.status if not more else None,
        domains=only.domains if not more else key,
        combination=combination,
        x=spot[0],
        y=spot[1],
        size=MARK,
    )


def _circle_labels(centres: Mapping[str, tuple[float, float]], radius: float) -> list[Label] | None:
    """Each circle's name just outside it, clear of every circle and label; None if none fits."""
    middle_y = sum(y for _, y in centres.values()) / len(centres)
    labels: list[Label] = []
    for name, (x, y) in centres.items():
        lines = _wrapped(name)
        width, height = max(len(line) for line in lines) * CHAR, len(lines) * LINE
        outward = -90.0 if y <= middle_y else 90.0
        for angle in (outward + turn for turn in TURNS):
            box = _box_beside((x, y), radius + 2 * CLEAR, math.radians(angle), (width, height))
            if _free(box, centres, radius, labels) and _nearest_is(name, box, centres):
                left, top = box[0], box[1]
                labels.append(
                    Label(name, lines, left, top, width, height, left + width / 2, "middle")
                )
                break
        else:
            return None
    return labels


def _box_beside(
    centre: tuple[float, float], distance: float, angle: float, size: tuple[float, float]
) -> tuple[float, float, float, float]:
    """A box of `size` beyond the point `distance` from `centre` at `angle`, within the width."""
    width, height = size
    cos, sin = math.cos(angle), math.sin(angle)
    reach = distance + abs(cos) * width / 2 + abs(sin) * height / 2
    centre_x, centre_y = centre[0] + reach * cos, centre[1] + reach * sin
    left = min(max(centre_x - width / 2, 0.0), WIDTH - width)
    return left, centre_y - height / 2, width, height


def _free(
    box: tuple[float, float, float, float],
    centres: Mapping[str, tuple[float, float]],
    radius: float,
    labels: Sequence[Label],
) -> bool:
    left, width = box[0], box[2]
    if left < 0 or left + width > WIDTH:
        return False
    if any(_box_meets_circle(box, centre, radius + CLEAR) for centre in centres.values()):
        return False
    return not any(
        _boxes_overlap(box, (label.x, label.y, label.width, label.height), GAP / 2)
        for label in labels
    )


def _nearest_is(
    name: str, box: tuple[float, float, float, float], centres: Mapping[str, tuple[float, float]]
) -> bool:
    """Whether a label is clearly nearer its own circle than any other, so it reads as its."""
    own = _distance_to_box(box, centres[name])
    return all(_distance_to_box(box, c) > own + GAP for n, c in centres.items() if n != name)


def _distance_to_box(box: tuple[float, float, float, float], point: tuple[float, float]) -> float:
    left, top, width, height = box
    nearest = min(max(point[0], left), left + width), min(max(point[1], top), top + height)
    return math.dist(nearest, point)


def _box_meets_circle(
    box: tuple[float, float, float, float], centre: tuple[float, float], radius: float
) -> bool:
    return _distance_to_box(box, centre) < radius


def _boxes_overlap(
    a: tuple[float, float, float, float], b: tuple[float, float, float, float], gap: float = 0.0
) -> bool:
    """Whether two boxes (left, top, width, height) come closer than `gap`."""
    return (
        a[0] < b[0] + b[2] + gap
        and b[0] < a[0] + a[2] + gap
        and a[1] < b[1] + b[3] + gap
        and b[1] < a[1] + a[3] + gap
    )


def _shortened(name: str) -> str:
    """A row's label: long names cut, so that the matrix starts within a phone's width."""
    return name if len(name) <= ROW_CHARS else name[: ROW_CHARS - 1].rstrip() + "…"


def _wrapped(name: str) -> tuple[str, ...]:
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= WRAP:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return tuple(lines) or (name,)


def _framed(
    centres: Mapping[str, tuple[float, float]],
    radius: float,
    combos: Mapping[tuple[str, ...], list[VennResource]],
    marks: Sequence[Mark],
    labels: Sequence[Label],
) -> VennLayout:
    """The drawing moved down to start at the top margin, its height what it holds."""
    top = min([y - radius for _, y in centres.values()] + [label.y for label in labels]) - GAP
    bottom = max([y + radius for _, y in centres.values()] + [lb.y + lb.height for lb in labels])
    first = {m.combination: m.x for m in reversed(marks)}
    return VennLayout(
        kind=EULER,
        why="each resource sits inside the circles of its domains and outside all others",
        width=WIDTH,
        height=_r(bottom - top + GAP),
        min_px_width=_px(WIDTH),
        font=FONT,
        regions=tuple(
            Region(name, "circle", _r(x), _r(y - top), _r(radius), _r(2 * radius), PALETTE[index])
            for index, (name, (x, y)) in enumerate(centres.items())
        ),
        combinations=tuple(
            Combination(key, len(members), tuple(r.id for r in members), _r(first[index]))
            for index, (key, members) in enumerate(combos.items())
        ),
        marks=tuple(
            Mark(
                m.resources,
                m.title,
                m.status,
                m.domains,
                m.combination,
                _r(m.x),
                _r(m.y - top),
                m.size,
            )
            for m in marks
        ),
        labels=tuple(
            Label(
                lb.domain,
                lb.lines,
                _r(lb.x),
                _r(lb.y - top),
                _r(lb.width),
                _r(lb.height),
                _r(lb.text_x),
                lb.anchor,
            )
            for lb in labels
        ),
    )


def _px(width: float) -> int:
    """The CSS width at which a drawing `width` units wide shows marks 24 px wide."""
    return math.ceil(width * 24 / MARK)


def _r(value: float) -> float:
    return round(value, 1)


# --- UpSet ------------------------------------------------------------------------------------


def _upset(
    domains: Sequence[str], combos: Mapping[tuple[str, ...], list[VennResource]], why: str
) -> VennLayout:
    """A row per domain, a column per combination that occurs, and its mark above it."""
    names = {name: _shortened(name) for name in domains}
    label_width = max((len(short) * CHAR for short in names.values()), default=0.0)
    left = GAP + label_width + GAP
    matrix_top = GAP + PITCH + GAP
    rows = {name: matrix_top + (index + 0.5) * PITCH for index, name in enumerate(domains)}
    columns = [left + (index + 0.5) * PITCH for index in range(len(combos))]
    length = len(combos) * PITCH
    return VennLayout(
        kind=UPSET,
        why=why,
        width=_r(left + length + GAP),
        height=_r(matrix_top + len(domains) * PITCH + GAP),
        min_px_width=_px(left + length + GAP),
        font=FONT,
        regions=tuple(
            Region(name, "row", _r(left), _r(y), 0.0, _r(length), PALETTE[i % len(PALETTE)])
            for i, (name, y) in enumerate(rows.items())
        ),
        combinations=tuple(
            Combination(key, len(members), tuple(r.id for r in members), _r(x))
            for (key, members), x in zip(combos.items(), columns, strict=True)
        ),
        marks=tuple(
            _mark(index, members, key, (_r(x), _r(GAP + PITCH / 2)))
            for index, ((key, members), x) in enumerate(zip(combos.items(), columns, strict=True))
        ),
        labels=tuple(
            Label(
                name,
                (names[name],),
                _r(GAP),
                _r(y - LINE / 2),
                _r(label_width),
                LINE,
                _r(GAP + label_width),
                "end",
            )
            for name, y in rows.items()
        ),
    )
