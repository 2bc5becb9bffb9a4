from recoupe.groups import Groups


def test_groups_join_pairs_transitively_in_order_of_first_item():
    groups = Groups(6)
    groups.union(4, 1)
    groups.union(5, 3)
    groups.union(1, 3)  # joins {1, 4} and {3, 5}
    assert groups.sets() == [[0], [1, 3, 4, 5], [2]]
    assert groups.find(4) == groups.find(5) != groups.find(2)


def test_groups_keep_first_item_order_whatever_root_a_union_leaves():
    """A later union can make a group's root a later item: the groups still come in order of their first item."""
    groups = Groups(4)
    groups.union(3, 0)  # {0, 3}, root 0
    groups.union(0, 2)  # root 2 now
    groups.union(1, 1)
    assert groups.sets() == [[0, 2, 3], [1]]
