"""The Ruang Redaksi (`laman redaksi`): the whole SOP in a browser for office staff, each step
signed with the person's own SSH key through git and taken by the same workflows as the
command line (`pipeline.app`)."""
