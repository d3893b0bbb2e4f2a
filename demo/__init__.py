"""Demo data from the seeds (../shared/seeds): the network's real centres, activities, plans and practices."""
