"""tpmodel: savings from Total Place reforms, place by place and agency by agency."""

__version__ = "0.1.0"
